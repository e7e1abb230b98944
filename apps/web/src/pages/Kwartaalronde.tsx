/**
 * Kwartaalronde (issue 16): Amstelland's quarterly round for the orthopedagogen of the
 * samenwerkingsverband and the region's coordinators. Per school the cases whose
 * kwartaalbespreking is overdue or due within a chosen number of days, and a form per case to
 * record a review with its outcome (which moves the next due date).
 *
 * Every read and write goes through `QuarterlyRound` in `packages/app`, the use cases of the API:
 * need-to-know (only the case reference, the pupil's name, the kind of melding and the dates; no
 * notes), audited, a case outside the caller's round is "Niet gevonden" (404) and another role
 * gets the 403 page. Addresses carry the case id only. Plain HTML forms: no script needed.
 */
import { Access, QuarterlyRound } from "@verzuimregie/app"
import { HttpMeaning, Ids, LocalDate } from "@verzuimregie/domain"
import { type Effect, Exit, Schema } from "effect"
import type { Context, Hono } from "hono"
import {
  Alert,
  CsrfField,
  DataList,
  DateField,
  dutchDate,
  ErrorSummary,
  type FieldErrors,
  SelectField,
  SubmitButton,
  Table,
} from "../Components.js"
import type { Current, PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

const ROLES = Access.ROUND_ROLES
const BASE = "/kwartaalronde"

/** The windows the page offers (days ahead); the use case allows 0 to 92. */
const WINDOWS = [14, 30, 60, 92] as const

type Round = Effect.Effect.Success<ReturnType<typeof QuarterlyRound.list>>

type RoundCase = QuarterlyRound.RoundCase

const dueText = (c: RoundCase) =>
  c.dueStatus === "verlopen"
    ? `${dutchDate(c.dueOn)} (verlopen, ${c.daysOverdue} ${c.daysOverdue === 1 ? "dag" : "dagen"})`
    : dutchDate(c.dueOn)

const lastReviewText = (c: RoundCase) =>
  c.lastReview === null
    ? "Nog niet besproken"
    : `${dutchDate(c.lastReview.heldOn)}${c.lastReview.outcome === null ? "" : `: ${c.lastReview.outcome.label}`}`

const RoundPage = (props: { readonly round: Round; readonly notice?: string | undefined }) => {
  const { round } = props
  const total = round.schools.reduce((n, s) => n + s.cases.length, 0)
  return (
    <>
      <H1>Kwartaalronde</H1>
      <P>
        Elk kwartaal bespreken de orthopedagogen van het samenwerkingsverband met elke school de leerlingen
        met langdurig verzuim, ook de beperkte meldingen. Hier staan per school de leerlingen waarvan de
        kwartaalbespreking verlopen is of vóór {dutchDate(round.until)} valt.
      </P>
      {props.notice === undefined ? null : <Alert type="ok">{props.notice}</Alert>}
      {round.regions.length === 0 ? (
        <Alert type="info">Uw regio's hebben geen kwartaalronde.</Alert>
      ) : (
        <form method="get" action={BASE} class="vr-round-filter">
          <SelectField
            name="binnen"
            label="Toon besprekingen die vallen binnen"
            required
            value={String(round.withinDays)}
            options={WINDOWS.map((days) => ({ value: String(days), label: `${days} dagen` }))}
          />
          <SubmitButton secondary>Toon</SubmitButton>
        </form>
      )}
      {round.truncated ? (
        <Alert type="warning">
          Er zijn te veel open casussen om in één keer te tonen; niet alle staan hier.
        </Alert>
      ) : null}
      {round.regions.length > 0 && total === 0 ? (
        <P>Geen kwartaalbesprekingen nodig in deze periode.</P>
      ) : null}
      {round.schools.map((school) => (
        <section aria-labelledby={`school-${school.schoolId ?? "onbekend"}`}>
          <h2 class="utrecht-heading-2" id={`school-${school.schoolId ?? "onbekend"}`}>
            {school.school}
          </h2>
          <P>
            {school.cases.length} {school.cases.length === 1 ? "leerling" : "leerlingen"} te bespreken
            {school.overdue > 0 ? `, waarvan ${school.overdue} verlopen` : ""}.
          </P>
          <Table
            caption={`Te bespreken met ${school.school}`}
            headers={[
              "Leerling",
              "Melding",
              "Gemeld op",
              "Thuis sinds",
              "Laatste bespreking",
              "Bespreking nodig",
              "",
            ]}
            rows={school.cases.map((c) => [
              c.pupil,
              c.status.label,
              dutchDate(c.reportedOn),
              c.atHomeSince === null ? "Onbekend" : dutchDate(c.atHomeSince),
              lastReviewText(c),
              c.dueStatus === "verlopen" ? <strong>{dueText(c)}</strong> : dueText(c),
              <a class="utrecht-link" href={`${BASE}/${c.caseId}`}>
                Bespreking vastleggen<span class="vr-visually-hidden"> voor {c.pupil}</span>
              </a>,
            ])}
          />
        </section>
      ))}
    </>
  )
}

type ReviewView = Effect.Effect.Success<ReturnType<typeof QuarterlyRound.get>>

interface ReviewValues {
  readonly heldOn: string
  readonly outcome: string
  readonly schoolContact: string
}

const LABELS: Readonly<Record<keyof ReviewValues, string>> = {
  heldOn: "Datum van de bespreking",
  outcome: "Uitkomst",
  schoolContact: "Besproken met",
}

const ReviewPage = (props: {
  readonly view: ReviewView
  readonly csrfToken: string
  readonly values: ReviewValues
  readonly errors: FieldErrors
  readonly general: ReadonlyArray<string>
}) => {
  const { view } = props
  const c = view.case
  return (
    <>
      <H1>Kwartaalbespreking vastleggen</H1>
      <P>
        <a class="utrecht-link" href={BASE}>
          Terug naar de kwartaalronde
        </a>
      </P>
      <DataList
        items={[
          ["Leerling", c.pupil],
          ["School", view.school],
          ["Status", c.status.label],
          ["Gemeld op", dutchDate(c.reportedOn)],
          ["Thuis sinds", c.atHomeSince === null ? "Onbekend" : dutchDate(c.atHomeSince)],
          ["Laatste bespreking", lastReviewText(c)],
          ["Bespreking nodig", dueText(c)],
          ["Kenmerk", c.caseId],
        ]}
      />
      <ErrorSummary errors={props.errors} labels={LABELS} general={props.general} />
      <form method="post" action={`${BASE}/${c.caseId}`} novalidate>
        <CsrfField token={props.csrfToken} />
        <DateField
          name="heldOn"
          label={LABELS.heldOn}
          description="De dag dat u de leerling met de school besprak; niet na vandaag."
          required
          max={view.on}
          value={props.values.heldOn}
          error={props.errors.heldOn}
        />
        <SelectField
          name="schoolContact"
          label={LABELS.schoolContact}
          description="Met wie van de school u de leerling besprak."
          required
          placeholder="Kies …"
          value={props.values.schoolContact}
          error={props.errors.schoolContact}
          options={view.choices.schoolContacts.map((o) => ({ value: o.id, label: o.label }))}
        />
        <SelectField
          name="outcome"
          label={LABELS.outcome}
          description="Wat u met de school afsprak. De regiehouder zet de stap die erbij hoort."
          required
          placeholder="Kies …"
          value={props.values.outcome}
          error={props.errors.outcome}
          options={view.choices.outcomes.map((o) => ({ value: o.id, label: o.label }))}
        />
        <SubmitButton>Bespreking vastleggen</SubmitButton>
      </form>
    </>
  )
}

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "")

/** A refusal the person can mend: the use case's field issues by field, or a general message. */
const problemsOf = (failure: unknown) => {
  const problem = HttpMeaning.problemOf(failure)
  if (problem === undefined || problem.status < 400 || problem.status >= 500) return undefined
  if (problem.status === 403 || problem.status === 404) return undefined
  const errors: Record<string, string> = {}
  const general: Array<string> = []
  for (const issue of problem.issues ?? []) {
    if (issue.path in LABELS) errors[issue.path] ??= issue.message
    else general.push(issue.message)
  }
  if (Object.keys(errors).length === 0 && general.length === 0)
    general.push(problem.detail ?? problem.title ?? "Dit kan nu niet.")
  return { errors, general }
}

export const quarterlyRoundPages: PageModule = {
  name: "kwartaalronde",
  prefixes: [BASE],
  styles: `
.vr-round-filter{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-end;margin-block-end:1.5rem}
.vr-round-filter .utrecht-form-field{margin:0}
.vr-visually-hidden{position:absolute;inline-size:1px;block-size:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
`,
  mount: <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
    app.get(BASE, async (c) => {
      c.set("route", BASE)
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const asked = Number(c.req.query("binnen") ?? QuarterlyRound.DEFAULT_WITHIN_DAYS)
      const withinDays = (WINDOWS as ReadonlyArray<number>).includes(asked)
        ? asked
        : QuarterlyRound.DEFAULT_WITHIN_DAYS
      const exit = await kit.run(current, QuarterlyRound.list({ withinDays }))
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      const next = c.req.query("volgende")
      const notice =
        c.req.query("vastgelegd") === undefined
          ? undefined
          : next !== undefined && LocalDate.isLocalDate(next)
            ? `De kwartaalbespreking is vastgelegd. De volgende bespreking is nodig op ${dutchDate(next)}.`
            : "De kwartaalbespreking is vastgelegd."
      return kit.page(
        c,
        current,
        { title: "Kwartaalronde" },
        <RoundPage round={exit.value} notice={notice} />,
      )
    })

    const reviewPage = async (
      c: Context,
      current: Current,
      caseId: Ids.CaseId,
      values: ReviewValues,
      problems: { readonly errors: FieldErrors; readonly general: ReadonlyArray<string> },
      status = 200,
      /** Today as the date of a fresh form. */
      prefill = false,
    ) => {
      const exit = await kit.run(current, QuarterlyRound.get(caseId))
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      const failed = Object.keys(problems.errors).length > 0 || problems.general.length > 0
      return kit.page(
        c,
        current,
        // The title names the task, never the pupil.
        { title: `${failed ? "Fout: " : ""}Kwartaalbespreking vastleggen`, status },
        <ReviewPage
          view={exit.value}
          csrfToken={current.session.csrfToken}
          values={prefill ? { ...values, heldOn: exit.value.on } : values}
          errors={problems.errors}
          general={problems.general}
        />,
      )
    }

    app.get(`${BASE}/:caseId`, async (c) => {
      c.set("route", `${BASE}/:caseId`)
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const caseId = c.req.param("caseId")
      if (!Schema.is(Ids.CaseId)(caseId)) return kit.notFound(c, current)
      return reviewPage(
        c,
        current,
        caseId,
        { heldOn: "", outcome: "", schoolContact: "" },
        { errors: {}, general: [] },
        200,
        true,
      )
    })

    app.post(`${BASE}/:caseId`, async (c) => {
      c.set("route", `${BASE}/:caseId`)
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody()
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const caseId = c.req.param("caseId")
      if (!Schema.is(Ids.CaseId)(caseId)) return kit.notFound(c, current)
      const values: ReviewValues = {
        heldOn: text(form.heldOn),
        outcome: text(form.outcome),
        schoolContact: text(form.schoolContact),
      }
      const exit = await kit.run(current, QuarterlyRound.record(caseId, values))
      if (Exit.isSuccess(exit))
        return c.redirect(
          `${BASE}?vastgelegd=1${exit.value.nextDueOn === null ? "" : `&volgende=${exit.value.nextDueOn}`}`,
          303,
        )
      const problems = problemsOf(kit.failureOf(exit))
      if (problems === undefined) return kit.failure(c, current, exit.cause)
      return reviewPage(c, current, caseId, values, problems, 422)
    })
  },
}
