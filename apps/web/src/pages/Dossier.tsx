/**
 * The dossier: one case's header (pupil, school, region, status, regiehouder, consent, deadlines,
 * national signals), the steps the plug-in offers with the reasons a step is not yet possible, the
 * timeline, the people involved and the contacts, meetings, agreements, actions and interventions.
 * One use case (`Cases.dossier`) reads it all: one access check, one audit record per page view.
 *
 * The page only reads. Logging an event and taking a step are the forms of `DossierForms.tsx`
 * (`/dossiers/:caseId/vastleggen`, `/dossiers/:caseId/stappen/:stepId`); this page links to them.
 * The `<title>` names the case id, never the pupil: titles end up in browser history, tab bars and
 * shared screens. The pupil's name is in the `h1`, for the signed-in and authorised reader only.
 */
import { Absence, Access, Cases } from "@verzuimregie/app"
import {
  AbsenceSignal,
  Age,
  type Case,
  CaseEvent,
  CaseParts,
  Consent,
  Ids,
  LangdurigVerzuim,
  Party,
  Pupil,
  Referral,
  Verlof,
  Vrijstelling,
} from "@verzuimregie/domain"
import { Effect, Exit, Schema } from "effect"
import type { Child } from "hono/jsx"
import { DataList, dutchDate, dutchDateTime, Table } from "../Components.js"
import type { PageModule } from "../Kit.js"
import { dutchNumber, MonthlyTable, measureText } from "./AbsenceParts.js"
import { successNotice } from "./DossierForms.js"

type Dossier = Effect.Effect.Success<ReturnType<typeof Cases.dossier>>

/** The address of a case's dossier; the forms live below it (`DossierForms.tsx`). */
export const dossierPath = (caseId: string) => `/dossiers/${caseId}`

/** A label as it reads inside a sentence: first letter lower-case (`Aanvraag … (TLV)` → `aanvraag … (TLV)`). */
const inSentence = (label: string) => label.charAt(0).toLowerCase() + label.slice(1)

// Dutch words for values the domain keeps as codes without a label of its own.

const ACTION_STATUS: Readonly<Record<CaseParts.ActionStatus, string>> = {
  open: "Open",
  afgerond: "Afgerond",
  vervallen: "Vervallen",
}

const PARENT_RELATION: Readonly<Record<Referral.Parent["relation"], string>> = {
  moeder: "Moeder",
  vader: "Vader",
  ouder: "Ouder",
  voogd: "Voogd",
  pleegouder: "Pleegouder",
  verzorger: "Verzorger",
}

const DEADLINE_STATUS: Readonly<Record<Dossier["deadlines"][number]["status"], string>> = {
  open: "Open",
  binnenkort: "Binnenkort verlopen",
  verlopen: "Verlopen",
  gehaald: "Gehaald",
  "te-laat-gehaald": "Te laat gehaald",
}

const PACT_STATUS: Readonly<Record<"ok" | "waarschuwing" | "alarm", string>> = {
  ok: "Binnen de termijn",
  waarschuwing: "Waarschuwing",
  alarm: "Alarm",
}

const role = (value: Party.PartyRole) => Party.partyRoleLabel[value]
const roleInSentence = (value: Party.PartyRole) => Party.partyRoleInSentence(value)
const list = (items: ReadonlyArray<string>) =>
  items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} en ${items.at(-1)}`

/** A marker that says its state in words (never by colour alone, WCAG 1.4.1). */
const Mark = (props: {
  readonly tone: "alarm" | "warning" | "ok" | "neutral"
  readonly children?: Child
}) => <span class={`vr-mark vr-mark--${props.tone}`}>{props.children}</span>

const deadlineTone = (status: Dossier["deadlines"][number]["status"]) =>
  status === "verlopen" ? "alarm" : status === "binnenkort" || status === "te-laat-gehaald" ? "warning" : "ok"

/** What one event says, in a sentence or two; free text the worker typed follows as it is. */
const eventDetails = (
  event: CaseEvent.CaseEvent,
  dossier: Dossier,
  statusLabel: (id: string) => string,
): Child => {
  const state = dossier.case
  const actionText = (id: string) => state.actions.find((a) => a.id === id)?.description ?? "onbekende actie"
  const interventionText = (id: string) => {
    const found = state.interventions.find((i) => i.id === id)
    return found === undefined ? "onbekende interventie" : interventionLabel(dossier, found)
  }
  const text = (...parts: ReadonlyArray<string | undefined>) => (
    <>
      {parts
        .filter((p): p is string => p !== undefined && p !== "")
        .map((p) => (
          <p class="vr-timeline__line">{p}</p>
        ))}
    </>
  )
  switch (event._tag) {
    case "ReferralReceived":
    case "ReferralLinked":
      return text(
        `Aangemeld door ${event.referral.referrer.name} (${roleInSentence(event.referral.referrer.role)}).`,
        `${Referral.verzuimKindLabel[event.referral.verzuimKind]}; reden: ${list(event.referral.reasons.map(reasonLabel))}.`,
        event._tag === "ReferralReceived" ? `Startstatus: ${statusLabel(event.initialStatus)}.` : undefined,
      )
    case "IntakeCompleted":
      return text(`Intake op ${dutchDate(event.on)}; regiehouder ${event.regiehouder.name}.`, event.summary)
    case "RegiehouderAssigned":
      return text(`Regiehouder: ${event.regiehouder.name}.`, event.reason)
    case "RegiehouderChanged":
      return text(`Nieuwe regiehouder: ${event.regiehouder.name}. Reden: ${event.reason}`)
    case "ContactLogged":
      return text(
        `Contact met ${roleInSentence(event.with)} op ${dutchDate(event.on)}, via ${inSentence(CaseEvent.contactChannelLabel[event.channel])}.`,
        event.summary,
      )
    case "HomeVisitDone":
      return text(
        `Huisbezoek op ${dutchDate(event.on)}, met ${list(event.attendees.map(roleInSentence))}.`,
        event.summary,
      )
    case "MeetingHeld":
      return text(
        `${CaseParts.meetingKindLabel[event.meeting.kind]} op ${dutchDate(event.meeting.heldOn)}, ${event.meeting.participants.length} ${event.meeting.participants.length === 1 ? "deelnemer" : "deelnemers"}.${
          // What a kwartaalbespreking decided: the regiehouder takes the step it calls for.
          event.meeting.reviewOutcome === undefined
            ? ""
            : ` Uitkomst: ${CaseParts.reviewOutcomeLabel[event.meeting.reviewOutcome]}.`
        }`,
        event.meeting.summary,
      )
    case "AgreementMade":
      return text(`Op ${dutchDate(event.agreement.madeOn)}: ${event.agreement.description}`)
    case "ActionAssigned":
      return text(
        `${event.action.description}: ${event.action.owner.name}, uiterlijk ${dutchDate(event.action.dueOn)}.`,
      )
    case "ActionCompleted":
      return text(`${actionText(event.actionId)}: afgerond op ${dutchDate(event.on)}.`, event.note)
    case "ActionCancelled":
      return text(`${actionText(event.actionId)}: vervallen. Reden: ${event.reason}`)
    case "InterventionStarted":
      return text(
        `${interventionLabel(dossier, event.intervention)}${event.intervention.provider === undefined ? "" : ` (${event.intervention.provider})`}, gestart op ${dutchDate(event.intervention.startedOn)}.`,
      )
    case "InterventionEnded":
      return text(
        `${interventionText(event.interventionId)}: beëindigd op ${dutchDate(event.endedOn)}, ${inSentence(CaseParts.interventionResultLabel[event.result])}.`,
      )
    case "ConsentRecorded":
      return text(consentText(event.consent))
    case "ConsentWithdrawn":
      return text(
        `Toestemming van ${event.subject} ingetrokken op ${dutchDate(event.on)}${event.purposes === undefined ? "" : `, voor ${list(event.purposes.map((p) => inSentence(Consent.consentPurposeLabel[p])))}`}.`,
      )
    case "ParentsInformed":
      return text(`Ouders geïnformeerd op ${dutchDate(event.on)}.`)
    case "AttendanceRecorded":
      return text(
        `${CaseParts.attendanceSituationLabel[event.situation]} sinds ${dutchDate(event.since)}; ${event.fittingOffer ? "passend aanbod aanwezig" : "geen passend aanbod"}.`,
      )
    case "ExemptionRecorded":
      return text(
        `${Vrijstelling.vrijstellingLabel[event.vrijstelling.grond]}, vanaf ${dutchDate(event.vrijstelling.from)}${event.vrijstelling.until === undefined ? "" : ` tot en met ${dutchDate(event.vrijstelling.until)}`}.`,
      )
    case "LeaveRequested":
      return text(
        `${Verlof.verlofLabel[event.request.grond]}, ${dutchDate(event.request.from)} tot en met ${dutchDate(event.request.to)}; aangevraagd op ${dutchDate(event.request.requestedOn)}.`,
      )
    case "LeaveDecided":
      return text(
        `${event.decision.granted ? "Verleend" : "Afgewezen"} op ${dutchDate(event.decision.decidedOn)}${event.decision.granted && event.decision.from !== undefined && event.decision.to !== undefined ? `, ${dutchDate(event.decision.from)} tot en met ${dutchDate(event.decision.to)}` : ""}.`,
      )
    case "StatusChanged":
      return text(`Van ${statusLabel(event.from)} naar ${statusLabel(event.to)}.`, event.reason)
    case "HandedOver":
      return text(
        `Overgedragen aan ${event.to.name} (${roleInSentence(event.to.role)}) op ${dutchDate(event.on)}.`,
        event.referrerInformedOn === undefined
          ? undefined
          : `Aanmelder geïnformeerd op ${dutchDate(event.referrerInformedOn)}.`,
        event.summary,
      )
    case "CaseClosed":
      return text(
        `Afgesloten op ${dutchDate(event.on)}: ${CaseParts.outcomeKindLabel[event.outcome.kind].toLowerCase()}.`,
        // The region's plug-in ends the help still running when a case closes: say which.
        event.endsInterventions === undefined
          ? undefined
          : `Daarmee beëindigd: ${list(event.endsInterventions.map((e) => `${interventionText(e.interventionId)} (${inSentence(CaseParts.interventionResultLabel[e.result])})`))}.`,
        event.reason === undefined ? undefined : `Reden: ${event.reason}`,
        event.outcome.description,
      )
  }
}

const REASON: Readonly<Record<Referral.ReferralReason, string>> = {
  "ongeoorloofd-verzuim": "ongeoorloofd verzuim",
  "grijs-verzuim": "grijs verzuim",
  "frequent-ziekteverzuim": "frequent ziekteverzuim",
  "langdurig-verzuim": "langdurig verzuim",
  thuiszitten: "thuiszitten",
  "te-laat-komen": "te laat komen",
  schorsing: "schorsing",
  "psychische-klachten": "psychische klachten",
  "lichamelijke-klachten": "lichamelijke klachten",
  gezinsproblematiek: "gezinsproblematiek",
  pesten: "pesten",
  onderwijsbehoefte: "onderwijsbehoefte",
  overig: "overig",
}
const reasonLabel = (reason: Referral.ReferralReason) => REASON[reason]

/** The intervention's Dutch name as the region's help catalogue gives it; else as it was logged. */
const interventionLabel = (dossier: Dossier, intervention: CaseParts.Intervention) =>
  dossier.catalogue.find((entry) => entry.code === intervention.catalogueCode)?.label ?? intervention.label

const consentText = (consent: Consent.ConsentGiven) =>
  `Toestemming van ${consent.subject} (${consent.givenBy}), ${inSentence(Consent.consentMethodLabel[consent.method])}, op ${dutchDate(consent.givenOn)} voor ${list(consent.purposes.map((p) => inSentence(Consent.consentPurposeLabel[p])))}${consent.withdrawnOn === undefined ? "" : `; ingetrokken op ${dutchDate(consent.withdrawnOn)}`}.`

const Section = (props: { readonly id: string; readonly title: string; readonly children?: Child }) => (
  <section class="vr-dossier__section" aria-labelledby={props.id}>
    <h2 class="utrecht-heading-2" id={props.id}>
      {props.title}
    </h2>
    {props.children}
  </section>
)

const Header = (props: { readonly dossier: Dossier }) => {
  const { dossier } = props
  const state = dossier.case
  const pupil = state.referral.pupil
  const enrolment = pupil.enrolment
  const consent = state.consent
  return (
    <Section id="kop-overzicht" title="Overzicht">
      <DataList
        items={[
          ["Leerling", Pupil.displayName(pupil.name)],
          ["Geboortedatum", `${dutchDate(pupil.birthDate)} (${Age.ageOn(pupil.birthDate, dossier.on)} jaar)`],
          [
            "School",
            enrolment === undefined
              ? "Niet ingeschreven"
              : `${enrolment.schoolName} (${enrolment.level}${enrolment.grade === undefined ? "" : `, ${enrolment.level === "PO" || enrolment.level === "SO" ? "groep" : "leerjaar"} ${enrolment.grade}`})`,
          ],
          ["Regio", dossier.region.name],
          ["Status", <strong>{dossier.status.label}</strong>],
          [
            "Regiehouder",
            state.regiehouder === undefined
              ? "Nog niet toegewezen"
              : `${state.regiehouder.name} (${roleInSentence(state.regiehouder.role)})`,
          ],
          ["Aangemeld op", dutchDateTime(state.openedAt)],
          ["Soort verzuim", Referral.verzuimKindLabel[state.referral.verzuimKind]],
          [
            "Schoolgang",
            state.attendance === undefined
              ? "Niet vastgelegd"
              : `${CaseParts.attendanceSituationLabel[state.attendance.situation]} sinds ${dutchDate(state.attendance.since)}; ${state.attendance.fittingOffer ? "passend aanbod aanwezig" : "geen passend aanbod"}`,
          ],
          [
            "Toestemming",
            consent.consents.length === 0 ? (
              "Geen toestemming vastgelegd"
            ) : (
              <ul class="utrecht-unordered-list vr-compact-list">
                {consent.consents.map((c) => (
                  <li>{consentText(c)}</li>
                ))}
              </ul>
            ),
          ],
          [
            "Ouders geïnformeerd",
            consent.parentsInformedOn === undefined ? "Nog niet" : dutchDate(consent.parentsInformedOn),
          ],
          ...(state.closed === undefined
            ? []
            : [
                [
                  "Afgesloten",
                  `${dutchDate(state.closed.on)}: ${CaseParts.outcomeKindLabel[state.closed.outcome.kind]}${state.closed.reason === undefined ? "" : ` (${state.closed.reason})`}`,
                ] as const,
              ]),
        ]}
      />
      <Signals dossier={dossier} />
      <Table
        caption="Termijnen van deze casus"
        headers={["Termijn", "Uiterlijk", "Gehaald op", "Stand"]}
        empty="Er lopen geen termijnen."
        rows={dossier.deadlines.map((d) => [
          d.label,
          <time datetime={d.dueOn}>{dutchDate(d.dueOn)}</time>,
          d.metOn === null ? "—" : <time datetime={d.metOn}>{dutchDate(d.metOn)}</time>,
          <Mark tone={deadlineTone(d.status)}>{DEADLINE_STATUS[d.status]}</Mark>,
        ])}
      />
    </Section>
  )
}

/** The Inspectie category, the Thuiszitterspact and the national rules that fire, in words. */
const Signals = (props: { readonly dossier: Dossier }) => {
  const { categorie, pact, rules } = props.dossier.signals
  if (categorie === null && pact === null && rules.length === 0) return null
  return (
    <>
      <h3 class="utrecht-heading-3" id="kop-signalen">
        Signalen
      </h3>
      <ul class="utrecht-unordered-list vr-signals">
        {categorie === null ? null : (
          <li>
            <Mark tone="warning">Thuiszitter categorie {categorie}</Mark>:{" "}
            {LangdurigVerzuim.categorieLabel[categorie]}
          </li>
        )}
        {pact === null ? null : (
          <li>
            <Mark
              tone={pact.status === "alarm" ? "alarm" : pact.status === "waarschuwing" ? "warning" : "ok"}
            >
              Thuiszitterspact: {PACT_STATUS[pact.status]}
            </Mark>{" "}
            {pact.daysRemaining > 0
              ? `grens op ${dutchDate(pact.limitDate)}, nog ${pact.daysRemaining} ${pact.daysRemaining === 1 ? "dag" : "dagen"}`
              : `grens van ${dutchDate(pact.limitDate)} is bereikt`}
          </li>
        )}
        {rules
          .filter((signal) => signal.rule !== "thuiszitterspact" || pact === null)
          .map((signal) => (
            <li>
              <Mark
                tone={
                  signal.severity === "alarm"
                    ? "alarm"
                    : signal.severity === "waarschuwing"
                      ? "warning"
                      : "neutral"
                }
              >
                {signal.severity === "alarm"
                  ? "Alarm"
                  : signal.severity === "waarschuwing"
                    ? "Waarschuwing"
                    : "Let op"}
              </Mark>{" "}
              {signal.message}
            </li>
          ))}
      </ul>
    </>
  )
}

const Steps = (props: { readonly dossier: Dossier }) => {
  const { dossier } = props
  const caseId = dossier.case.id
  if (dossier.case.closed !== undefined)
    return (
      <Section id="kop-stappen" title="Stappen">
        <p class="utrecht-paragraph">De casus is afgesloten: er zijn geen stappen meer.</p>
      </Section>
    )
  const allowed = dossier.transitions.filter((t) => t.allowed)
  const blocked = dossier.transitions.filter((t) => !t.allowed)
  return (
    <Section id="kop-stappen" title="Stappen">
      <p class="utrecht-paragraph vr-no-print vr-dossier__record">
        <a
          class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
          href={`${dossierPath(caseId)}/vastleggen`}
        >
          Gebeurtenis vastleggen
        </a>
      </p>
      {dossier.transitions.length === 0 ? (
        <p class="utrecht-paragraph">Vanuit deze status biedt de werkwijze van de regio geen stappen.</p>
      ) : null}
      {allowed.length === 0 ? null : (
        <>
          <h3 class="utrecht-heading-3" id="kop-stappen-nu">
            Nu mogelijk
          </h3>
          <ul class="utrecht-unordered-list vr-steps">
            {allowed.map((step) => (
              <li>
                <a
                  class="utrecht-link"
                  href={`${dossierPath(caseId)}/stappen/${encodeURIComponent(step.id)}`}
                >
                  {step.label}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      {blocked.length === 0 ? null : (
        <>
          <h3 class="utrecht-heading-3" id="kop-stappen-nog-niet">
            Nog niet mogelijk
          </h3>
          <ul class="utrecht-unordered-list vr-steps">
            {blocked.map((step) => (
              <li>
                <span class="vr-step__label">{step.label}</span>
                {step.reasons.length === 0 ? null : (
                  <ul class="utrecht-unordered-list vr-step__reasons">
                    {step.reasons.map((reason) => (
                      <li>{reason}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </Section>
  )
}

/**
 * Newest first: a worker opens the dossier to see what happened lately; the header above already
 * sums up where the case stands, and the version number keeps the order unambiguous on paper.
 */
const Timeline = (props: { readonly dossier: Dossier }) => {
  const { dossier } = props
  const labels = new Map(dossier.states.map((s) => [s.id, s.label]))
  const statusLabel = (id: string) => labels.get(id) ?? id
  return (
    <Section id="kop-tijdlijn" title="Tijdlijn">
      <Table
        caption="Alle gebeurtenissen, nieuwste eerst"
        headers={["Vastgelegd", "Gebeurtenis", "Door", "Wat"]}
        rows={[...dossier.timeline]
          .reverse()
          .map((entry) => [
            <time datetime={entry.recordedAt}>{dutchDateTime(entry.recordedAt)}</time>,
            entry.label,
            `${entry.event.by.name} (${roleInSentence(entry.event.by.role)})`,
            eventDetails(entry.event, dossier, statusLabel),
          ])}
      />
    </Section>
  )
}

const contactLine = (email: string | undefined, phone: string | undefined) =>
  [email, phone].filter((v): v is string => v !== undefined).join(", ") || "—"

const People = (props: { readonly dossier: Dossier }) => {
  const state = props.dossier.case
  const referral = state.referral
  const rows: Array<ReadonlyArray<Child>> = [
    [role("leerling"), Pupil.displayName(referral.pupil.name), "—"],
    ...referral.parents.map((parent) => [
      `${PARENT_RELATION[parent.relation]}${parent.hasParentalAuthority ? " (met gezag)" : " (zonder gezag)"}`,
      parent.name,
      contactLine(parent.email, parent.phone),
    ]),
    [
      `Aanmelder, ${roleInSentence(referral.referrer.role)}`,
      referral.referrer.name,
      contactLine(referral.referrer.email, referral.referrer.phone),
    ],
    ...(state.regiehouder === undefined
      ? []
      : [[`Regiehouder, ${roleInSentence(state.regiehouder.role)}`, state.regiehouder.name, "—"]]),
    ...state.handovers.map((h) => [
      `Overgedragen aan, ${roleInSentence(h.to.role)}`,
      h.to.name,
      `sinds ${dutchDate(h.on)}`,
    ]),
  ]
  return (
    <Section id="kop-betrokkenen" title="Betrokkenen en contacten">
      <Table caption="Betrokkenen" headers={["Rol", "Naam", "Bereikbaar via"]} rows={rows} />
      <Table
        caption="Vastgelegde contacten, nieuwste eerst"
        headers={["Datum", "Met", "Via"]}
        empty="Nog geen contacten vastgelegd."
        rows={[...state.contacts]
          .sort((a, b) => (a.on < b.on ? 1 : a.on > b.on ? -1 : 0))
          .map((c) => [
            <time datetime={c.on}>{dutchDate(c.on)}</time>,
            role(c.with),
            CaseEvent.contactChannelLabel[c.channel],
          ])}
      />
      <h3 class="utrecht-heading-3" id="kop-huisbezoeken">
        Huisbezoeken
      </h3>
      {state.homeVisits.length === 0 ? (
        <p class="utrecht-paragraph">Nog geen huisbezoek vastgelegd.</p>
      ) : (
        <ul class="utrecht-unordered-list">
          {[...state.homeVisits].sort().map((on) => (
            <li>
              <time datetime={on}>{dutchDate(on)}</time>
            </li>
          ))}
        </ul>
      )}
    </Section>
  )
}

const Meetings = (props: { readonly dossier: Dossier }) => {
  const state = props.dossier.case
  return (
    <Section id="kop-overleggen" title="Overleggen">
      {state.meetings.length === 0 ? <p class="utrecht-paragraph">Nog geen overleg vastgelegd.</p> : null}
      {state.meetings.map((meeting) => (
        <div class="vr-meeting">
          <h3 class="utrecht-heading-3" id={`overleg-${meeting.id}`}>
            {CaseParts.meetingKindLabel[meeting.kind]} op {dutchDate(meeting.heldOn)}
          </h3>
          <p class="utrecht-paragraph">
            Verslag: {meeting.reportFiled ? "gemaakt en bewaard" : "nog niet gemaakt"}.
          </p>
          {meeting.summary === undefined ? null : <p class="utrecht-paragraph">{meeting.summary}</p>}
          <Table
            caption={`Deelnemers aan ${CaseParts.meetingKindInSentence(meeting.kind)} op ${dutchDate(meeting.heldOn)}`}
            headers={["Naam", "Rol", "Mandaat"]}
            rows={meeting.participants.map((p) => [
              p.name,
              role(p.role),
              p.mandated ? <Mark tone="ok">Met doorzettingsmacht</Mark> : "Zonder mandaat",
            ])}
          />
        </div>
      ))}
    </Section>
  )
}

const Agreements = (props: { readonly dossier: Dossier }) => {
  const state = props.dossier.case
  const meetingOf = (id: string | undefined) => {
    const meeting = state.meetings.find((m) => m.id === id)
    return meeting === undefined
      ? "—"
      : `${CaseParts.meetingKindLabel[meeting.kind]} op ${dutchDate(meeting.heldOn)}`
  }
  return (
    <Section id="kop-afspraken" title="Afspraken">
      <Table
        caption="Gemaakte afspraken"
        headers={["Datum", "Afspraak", "Partijen", "Gemaakt in"]}
        empty="Nog geen afspraken vastgelegd."
        rows={state.agreements.map((a) => [
          <time datetime={a.madeOn}>{dutchDate(a.madeOn)}</time>,
          a.description,
          a.parties.length === 0 ? "—" : list(a.parties.map(role)),
          meetingOf(a.meetingId),
        ])}
      />
    </Section>
  )
}

const actionState = (action: Case.TrackedAction, on: string): Child =>
  action.status === "afgerond" ? (
    <Mark tone="ok">
      Afgerond{action.completedOn === undefined ? "" : ` op ${dutchDate(action.completedOn)}`}
    </Mark>
  ) : action.status === "vervallen" ? (
    <Mark tone="neutral">{ACTION_STATUS.vervallen}</Mark>
  ) : action.dueOn < on ? (
    <Mark tone="alarm">Open, te laat</Mark>
  ) : (
    <Mark tone="neutral">{ACTION_STATUS.open}</Mark>
  )

const Actions = (props: { readonly dossier: Dossier }) => {
  const { dossier } = props
  const rank = (a: Case.TrackedAction) => (a.status === "open" ? 0 : 1)
  const actions = [...dossier.case.actions].sort(
    (a, b) => rank(a) - rank(b) || (a.dueOn < b.dueOn ? -1 : a.dueOn > b.dueOn ? 1 : 0),
  )
  return (
    <Section id="kop-acties" title="Acties">
      <Table
        caption="Acties, open eerst, op uiterste datum"
        headers={["Actie", "Eigenaar", "Uiterlijk", "Stand"]}
        empty="Nog geen acties uitgezet."
        rows={actions.map((a) => [
          a.description,
          `${a.owner.name} (${roleInSentence(a.owner.role)})`,
          <time datetime={a.dueOn}>{dutchDate(a.dueOn)}</time>,
          actionState(a, dossier.on),
        ])}
      />
    </Section>
  )
}

const Interventions = (props: { readonly dossier: Dossier }) => {
  const { dossier } = props
  return (
    <Section id="kop-interventies" title="Interventies">
      <Table
        caption="Interventies uit het hulpaanbod van de regio"
        headers={["Interventie", "Aanbieder", "Gestart", "Beëindigd"]}
        empty="Nog geen interventies ingezet."
        rows={dossier.case.interventions.map((i) => [
          interventionLabel(dossier, i),
          i.provider ?? "—",
          <time datetime={i.startedOn}>{dutchDate(i.startedOn)}</time>,
          i.endedOn === undefined ? (
            <Mark tone="neutral">Loopt nog</Mark>
          ) : (
            `${dutchDate(i.endedOn)}${i.result === undefined ? "" : `: ${inSentence(CaseParts.interventionResultLabel[i.result])}`}`
          ),
        ])}
      />
    </Section>
  )
}

/**
 * The pupil's absence as the school's administration registered it (issue 15), once the case is
 * linked to the school's imported data (a referral from a signal links it): the totals, since when
 * the pupil is at home, the school's signals, and the records summed per month.
 */
const SchoolAbsence = (props: { readonly absence: Absence.CaseAbsence }) => {
  const { absence } = props
  if (!absence.linked)
    return (
      <Section id="kop-schoolverzuim" title="Verzuim uit de schooladministratie">
        <p class="utrecht-paragraph">
          Deze casus is niet gekoppeld aan verzuim dat een school heeft ingelezen. Dat gebeurt wanneer een
          school aanmeldt vanuit een verzuimsignaal.
        </p>
      </Section>
    )
  return (
    <Section id="kop-schoolverzuim" title="Verzuim uit de schooladministratie">
      <DataList
        items={[
          ["Leerlingnummer op school", absence.pupilNumber ?? "—"],
          ["Uren ongeoorloofd", dutchNumber(absence.totals.unauthorisedHours)],
          ["Uren geoorloofd", dutchNumber(absence.totals.authorisedHours)],
          ["Ziekmeldingen", String(absence.totals.sickReports)],
          ["Keren te laat", String(absence.totals.lateCount)],
          [
            "Thuis sinds",
            absence.homeSince === null ? "Niet thuis volgens de registratie" : dutchDate(absence.homeSince),
          ],
        ]}
      />
      <Table
        caption="Signalen van de school over deze leerling"
        headers={["Soort", "Periode", "Omvang", "Toelichting", "Status"]}
        empty="De school heeft geen signalen over deze leerling."
        rows={absence.signals.map((signal) => [
          signal.typeLabel,
          signal.from === signal.to
            ? dutchDate(signal.from)
            : `${dutchDate(signal.from)} – ${dutchDate(signal.to)}`,
          measureText(signal.type, signal.measure),
          signal.explanation,
          AbsenceSignal.signalStatusLabel[signal.status],
        ])}
      />
      <MonthlyTable caption="Verzuim per maand volgens de schooladministratie" records={absence.records} />
    </Section>
  )
}

export const DossierPage = (props: {
  readonly dossier: Dossier
  readonly absence?: Absence.CaseAbsence | undefined
  readonly notice?: string | undefined
}) => {
  const { dossier } = props
  return (
    <div class="vr-dossier">
      <h1 class="utrecht-heading-1">Dossier van {Pupil.displayName(dossier.case.referral.pupil.name)}</h1>
      {props.notice === undefined ? null : (
        <div class="utrecht-alert utrecht-alert--ok vr-no-print" role="status">
          <p class="utrecht-paragraph">{props.notice}</p>
        </div>
      )}
      <p class="utrecht-paragraph vr-dossier__lead">
        Casus {dossier.case.id} · {dossier.region.name} · {dossier.status.label} · versie{" "}
        {dossier.case.version} · stand van {dutchDate(dossier.on)}
      </p>
      <nav class="vr-dossier__toc vr-no-print" aria-label="Onderdelen van het dossier">
        <ul>
          {props.absence === undefined ? null : (
            <li>
              <a class="utrecht-link" href="#kop-schoolverzuim">
                Schoolverzuim
              </a>
            </li>
          )}
          <li>
            <a class="utrecht-link" href="#kop-stappen">
              Stappen
            </a>
          </li>
          <li>
            <a class="utrecht-link" href="#kop-tijdlijn">
              Tijdlijn
            </a>
          </li>
          <li>
            <a class="utrecht-link" href="#kop-betrokkenen">
              Betrokkenen
            </a>
          </li>
          <li>
            <a class="utrecht-link" href="#kop-overleggen">
              Overleggen
            </a>
          </li>
          <li>
            <a class="utrecht-link" href="#kop-acties">
              Acties
            </a>
          </li>
          <li>
            <a class="utrecht-link" href="#kop-interventies">
              Interventies
            </a>
          </li>
        </ul>
      </nav>
      <Header dossier={dossier} />
      {props.absence === undefined ? null : <SchoolAbsence absence={props.absence} />}
      <Steps dossier={dossier} />
      <Timeline dossier={dossier} />
      <People dossier={dossier} />
      <Meetings dossier={dossier} />
      <Agreements dossier={dossier} />
      <Actions dossier={dossier} />
      <Interventions dossier={dossier} />
    </div>
  )
}

const STYLES = `
.vr-dossier__lead{color:var(--utrecht-color-grey-30,#444)}
.vr-dossier__toc ul{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;list-style:none;margin:0 0 1.5rem;padding:0}
.vr-dossier__section{margin-block:2rem}
.vr-dossier__record{margin-block:1rem 1.5rem}
.vr-compact-list{margin:0;padding-inline-start:1.25rem}
.vr-timeline__line{margin:0 0 .25rem}
.vr-steps>li{margin-block-end:.5rem}
.vr-step__label{font-weight:700}
.vr-step__reasons{margin-block:.25rem 0}
.vr-meeting{margin-block-end:1.5rem}
.vr-mark{display:inline-block;padding:0 .4rem;border:2px solid currentColor;border-radius:.25rem;font-weight:700}
.vr-mark--alarm{color:#a4000e;background:#fff0f0}
.vr-mark--warning{color:#6b4100;background:#fff6e0}
.vr-mark--ok{color:#1c5b1f;background:#effaef}
.vr-mark--neutral{color:inherit;border-color:transparent;padding:0}
@media print{
  body:has(.vr-dossier) .vr-header{display:none}
  .vr-dossier .vr-no-print,.vr-dossier form,.vr-dossier button{display:none}
  body:has(.vr-dossier) .vr-main{max-inline-size:none;padding:0}
  .vr-dossier{--utrecht-link-text-decoration:none;--utrecht-link-color:inherit}
  .vr-dossier a:any-link{color:inherit;text-decoration:none}
  .vr-dossier h2,.vr-dossier h3,.vr-dossier caption{break-after:avoid-page}
  .vr-dossier tr,.vr-dossier li{break-inside:avoid-page}
  .vr-dossier dt{break-after:avoid-page}
  .vr-dossier__section{break-inside:auto}
  .vr-dossier .vr-table-scroll{overflow:visible}
  .vr-mark{background:none}
}
`

export const dossierPages: PageModule = {
  name: "dossier",
  prefixes: ["/dossiers"],
  styles: STYLES,
  mount: (app, kit) => {
    app.get("/dossiers/:caseId", async (c) => {
      c.set("route", "/dossiers/:caseId")
      // The use case checks the role too; first here, so any address under a case is 403 to a referrer.
      const current = await kit.signedInWith(c, Access.CASE_ROLES)
      if (current instanceof Response) return current
      const caseId = c.req.param("caseId")
      // Not an id at all: nothing to read (and nothing to audit); the same page as a case not found.
      if (!Schema.is(Ids.CaseId)(caseId)) return kit.notFound(c, current)
      const exit = await kit.run(
        current,
        Effect.all({ dossier: Cases.dossier(caseId), absence: Absence.caseAbsence(caseId) }),
      )
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return kit.page(
        c,
        current,
        { title: `Dossier ${caseId}` },
        <DossierPage
          dossier={exit.value.dossier}
          absence={exit.value.absence}
          notice={successNotice({ vastgelegd: c.req.query("vastgelegd"), stap: c.req.query("stap") })}
        />,
      )
    })
  },
}
