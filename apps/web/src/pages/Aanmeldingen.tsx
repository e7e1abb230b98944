/**
 * Aanmelden and Mijn aanmeldingen: the region's referral form rendered from its plug-in's form
 * schema (see `ReferralForm.tsx`), the confirmation, and the referrer's own referrals.
 *
 * The form reads the region through `RegionReads.detail` and submits through `Referrals.submit`,
 * the use cases behind `GET /regions/{regionId}` and `POST /referrals`: the same access check, the
 * same plug-in checks (consent by age, the region's own fields and conditions), the same audit.
 *
 * Consent without JavaScript: one step. The form shows every consent question with the region's
 * rule by age; once a birth date was entered (after a submit that came back), it says which apply
 * to this pupil. The plug-in decides on submit, and its refusal is shown at the consent questions.
 */
import { Absence, Access, Referrals, RegionReads, Regions } from "@verzuimregie/app"
import { Decode, Errors, Ids, Referral } from "@verzuimregie/domain"
import { Effect, Either, Exit, Schema } from "effect"
import type { Context } from "hono"
import { Alert, DataList, dutchDate, dutchDateTime, Pagination, Table } from "../Components.js"
import type { Current, PageKit, PageModule } from "../Kit.js"
import { H1, P } from "../Layout.js"
import {
  errorsOf,
  extensionFields,
  FORM_STYLES,
  type FormValues,
  ReferralFormPage,
  type RegionForm,
  schoolFieldOf,
  submissionOf,
} from "./ReferralForm.js"

/** The referral roles; a school's verzuim user only from a signal (`Referrals.submit` with `fromSignal`). */
const mayRefer = (current: Current, fromSignal = false) =>
  Access.hasRole(current.caller.principal, Access.REFERRAL_ROLES) ||
  (fromSignal && Access.hasRole(current.caller.principal, Absence.SCHOOL_ABSENCE_ROLES))

/** Name particles that go between given and family name (`de`, `van der`, `'t`). */
const PREFIXES = new Set([
  "van",
  "de",
  "der",
  "den",
  "het",
  "ten",
  "ter",
  "te",
  "'t",
  "in",
  "op",
  "d'",
  "la",
  "le",
])

/**
 * The school administration's one name field in the form's three: the first word is the given
 * name, lower-case particles after it the prefix, the rest the family name. A guess the person
 * checks (the form shows it); a name the guess gets wrong is corrected there.
 */
export const splitName = (name: string) => {
  const words = name
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "")
  const [given, ...rest] = words
  const prefix: Array<string> = []
  while (rest.length > 1 && PREFIXES.has((rest[0] ?? "").toLowerCase())) prefix.push(rest.shift() as string)
  return { givenName: given ?? "", prefix: prefix.join(" "), familyName: rest.join(" ") }
}

/** The reason of referral that fits the kind of verzuim the signal is. */
const REASON_OF_KIND: Readonly<Record<Referral.VerzuimKind, Referral.ReferralReason>> = {
  relatief: "ongeoorloofd-verzuim",
  grijs: "grijs-verzuim",
  ziekteverzuim: "frequent-ziekteverzuim",
  luxe: "ongeoorloofd-verzuim",
  langdurig: "langdurig-verzuim",
  absoluut: "overig",
}

type Draft = Absence.ReferralDraft

/** The referral form's fields as the signal's draft fills them. */
const valuesOfDraft = (draft: Draft): FormValues => {
  const name = draft.pupil.name === null ? undefined : splitName(draft.pupil.name)
  const entries: Array<[string, string | ReadonlyArray<string> | undefined]> = [
    ["pupil.name.givenName", name?.givenName],
    ["pupil.name.prefix", name?.prefix],
    ["pupil.name.familyName", name?.familyName],
    ["pupil.birthDate", draft.pupil.birthDate ?? undefined],
    ["verzuimKind", draft.verzuimKind],
    ["reasons", [REASON_OF_KIND[draft.verzuimKind]]],
    ["absence.since", draft.absence.since],
    [
      "absence.unauthorisedHoursLast4Weeks",
      draft.absence.unauthorisedHoursLast4Weeks === undefined
        ? undefined
        : String(draft.absence.unauthorisedHoursLast4Weeks),
    ],
    [
      "absence.sickReportsLast12Weeks",
      draft.absence.sickReportsLast12Weeks === undefined
        ? undefined
        : String(draft.absence.sickReportsLast12Weeks),
    ],
    ["absence.description", draft.absence.description],
  ]
  const values: Record<string, string | ReadonlyArray<string>> = {}
  for (const [key, value] of entries) if (value !== undefined && value !== "") values[key] = value
  return values
}

/** The draft of a signal's referral, when the id is one; its failure (404 for another school's) otherwise. */
const draftOf = (current: Current, kit: PageKit, raw: string | undefined) =>
  raw === undefined || raw === ""
    ? Promise.resolve(undefined)
    : Schema.is(Ids.SignalId)(raw)
      ? kit.run(current, Absence.referralDraft(raw))
      : Promise.resolve(null)

const withRecords = (submission: unknown, records: ReadonlyArray<unknown>): unknown => {
  const body = submission as { readonly absence?: Record<string, unknown> }
  return { ...body, absence: { ...(body.absence ?? {}), records } }
}

type RegionDetail = Effect.Effect.Success<ReturnType<typeof RegionReads.detail>>

const regionFormOf = (detail: RegionDetail): RegionForm => {
  const schema = detail.referralForm.extensionSchema as { readonly title?: unknown }
  return {
    regionId: detail.region.id,
    regionName: detail.region.name,
    formTitle: typeof schema.title === "string" ? schema.title : undefined,
    verzuimKinds: detail.referralForm.verzuimKinds,
    consentPolicy: detail.referralForm.consentPolicy,
    consentAlwaysRecorded: detail.referralForm.consentAlwaysRecorded,
    fields: extensionFields(detail.referralForm.extensionSchema),
    referrerRoles: detail.referralForm.referrerRoles,
  }
}

/** The caller's regions this installation runs, with their names. */
const ownRegions = (current: Current) =>
  Effect.map(Regions.Regions, (regions) =>
    regions
      .enabled(current.caller.principal.regions)
      .map((id) => regions.get(id))
      .filter((r) => r !== undefined)
      .map((r) => ({ id: r.region.id as string, name: r.region.name })),
  )

/** A region's form and today's date; `undefined` when the region is not one of the caller's. */
const formContext = (current: Current, regionId: string) =>
  Effect.gen(function* () {
    const mine = yield* ownRegions(current)
    if (!mine.some((r) => r.id === regionId)) return undefined
    const detail = yield* RegionReads.detail(regionId)
    const regions = yield* Regions.Regions
    const schools = yield* Referrals.schools
    return { region: regionFormOf(detail), today: regions.today(), several: mine.length > 1, schools }
  })

/** The status of a referral as the referrer reads it: the label, and to whom or why it ended. */
const Outcome = (props: { readonly item: Referrals.ReferralStatus }) => {
  const { item } = props
  if (item.handedOverTo !== null)
    return (
      <>
        Overgedragen aan {item.handedOverTo.roleLabel.toLowerCase()} op {dutchDate(item.handedOverTo.on)}
      </>
    )
  if (item.reason !== null)
    return (
      <>
        {item.reason}
        {item.closedOn === null ? "" : ` (${dutchDate(item.closedOn)})`}
      </>
    )
  return <>—</>
}

const RegionChoice = (props: { readonly regions: ReadonlyArray<{ id: string; name: string }> }) => (
  <>
    <H1>Aanmelden: kies de regio</H1>
    <P>
      U werkt in meer dan één regio. Elke regio heeft een eigen aanmeldformulier. Bij welke regio meldt u aan?
    </P>
    <ul class="utrecht-unordered-list">
      {props.regions.map((r) => (
        <li>
          <a class="utrecht-link" href={`/aanmeldingen/nieuw?regio=${encodeURIComponent(r.id)}`}>
            {r.name}
          </a>
        </li>
      ))}
    </ul>
  </>
)

/**
 * Which failure of `Referrals.submit` is the person's to mend, as field issues and a title. Matched
 * by tag: `ReferralRefused` is the plug-in SDK's, which the web app does not depend on.
 */
const refusalOf = (
  failure: unknown,
):
  | { readonly title: string; readonly issues: ReadonlyArray<{ path: string; message: string }> }
  | undefined => {
  if (typeof failure !== "object" || failure === null || !("_tag" in failure)) return undefined
  const tagged = failure as { readonly _tag: string } & Record<string, unknown>
  switch (tagged._tag) {
    case "ReferralRefused":
      return {
        title: "De regio neemt deze aanmelding zo niet aan",
        issues: tagged.issues as ReadonlyArray<{ path: string; message: string }>,
      }
    case "ValidationError":
      return {
        title: "Controleer het formulier",
        issues: tagged.issues as ReadonlyArray<{ path: string; message: string }>,
      }
    case "ReferrerMismatch":
      return {
        title: "De aanmelding is niet verstuurd",
        issues: [
          {
            path: "",
            message: "De aanmelder bent u zelf: naam, rol en organisatie komen uit uw account.",
          },
        ],
      }
    case "RegionClosed":
      return {
        title: "De aanmelding is niet verstuurd",
        issues: [{ path: "", message: "U kunt in deze regio niet aanmelden." }],
      }
    case "OpenCase":
      return {
        title: "Voor deze leerling loopt al een casus",
        issues: [
          {
            path: "",
            message:
              tagged.ownReferral === true
                ? "U heeft deze leerling al aangemeld en die casus loopt nog: er is geen tweede casus geopend. Volg de status in Mijn aanmeldingen."
                : "Voor deze leerling loopt in deze regio al een casus: er is geen tweede casus geopend. Neem contact op met de regio als u iets wilt aanvullen.",
          },
        ],
      }
    default:
      return undefined
  }
}

const formPage = (
  c: Context,
  kit: PageKit,
  current: Current,
  context: NonNullable<Effect.Effect.Success<ReturnType<typeof formContext>>>,
  values: FormValues,
  problems: {
    readonly errors: Readonly<Record<string, string>>
    readonly general: ReadonlyArray<string>
    readonly title?: string
  },
  status = 200,
  draft?: Draft,
) => {
  const failed = Object.keys(problems.errors).length > 0 || problems.general.length > 0
  const principal = current.caller.principal
  return kit.page(
    c,
    current,
    { title: `${failed ? "Fout: " : ""}Aanmelden bij ${context.region.regionName}`, status },
    <ReferralFormPage
      region={context.region}
      account={{
        name: principal.name,
        partyRole: principal.partyRole,
        organisationId: principal.organisationId,
      }}
      csrfToken={current.session.csrfToken}
      values={values}
      errors={problems.errors}
      general={problems.general}
      errorTitle={problems.title}
      today={context.today}
      severalRegions={context.several}
      schools={context.schools}
      fromSignal={draft === undefined ? undefined : { id: draft.signalId }}
    />,
  )
}

export const referralPages: PageModule = {
  name: "aanmeldingen",
  prefixes: ["/aanmeldingen"],
  styles: `${FORM_STYLES}
.vr-status-next{margin-block:1.5rem}
`,
  mount: (app, kit) => {
    app.get("/aanmeldingen/nieuw", async (c) => {
      c.set("route", "/aanmeldingen/nieuw")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      const signaal = c.req.query("signaal")
      if (!mayRefer(current, signaal !== undefined && signaal !== "")) return kit.forbidden(c, current)
      // From a school's absence signal: the signal's region, its pupil and absence filled in.
      const draft = await draftOf(current, kit, signaal)
      if (draft === null) return kit.notFound(c, current)
      if (draft !== undefined) {
        if (Exit.isFailure(draft)) return kit.failure(c, current, draft.cause)
        const context = await kit.run(current, formContext(current, draft.value.regionId))
        if (Exit.isFailure(context)) return kit.failure(c, current, context.cause)
        if (context.value === undefined)
          return kit.notFound(c, current, "Deze regio bestaat niet of is niet de uwe.")
        return formPage(
          c,
          kit,
          current,
          context.value,
          valuesOfDraft(draft.value),
          { errors: {}, general: [] },
          200,
          draft.value,
        )
      }
      const regions = await kit.run(current, ownRegions(current))
      if (Exit.isFailure(regions)) return kit.failure(c, current, regions.cause)
      const chosen = c.req.query("regio") ?? (regions.value.length === 1 ? regions.value[0]?.id : undefined)
      if (regions.value.length === 0)
        return kit.page(
          c,
          current,
          { title: "Aanmelden" },
          <>
            <H1>Aanmelden</H1>
            <P>
              Uw account hoort bij geen regio op deze installatie. Vraag uw beheerder u aan een regio te
              koppelen.
            </P>
          </>,
        )
      if (chosen === undefined)
        return kit.page(
          c,
          current,
          { title: "Aanmelden: kies de regio" },
          <RegionChoice regions={regions.value} />,
        )
      const context = await kit.run(current, formContext(current, chosen))
      if (Exit.isFailure(context)) return kit.failure(c, current, context.cause)
      if (context.value === undefined)
        return kit.notFound(c, current, "Deze regio bestaat niet of is niet de uwe.")
      return formPage(c, kit, current, context.value, {}, { errors: {}, general: [] })
    })

    app.post("/aanmeldingen/nieuw", async (c) => {
      c.set("route", "/aanmeldingen/nieuw")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      const form = (await c.req.parseBody({ all: true })) as Record<string, unknown>
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      if (!mayRefer(current, typeof form.signaal === "string" && form.signaal !== ""))
        return kit.forbidden(c, current)
      const values: Record<string, string | ReadonlyArray<string>> = {}
      for (const [key, value] of Object.entries(form)) {
        if (typeof value === "string") values[key] = value
        else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === "string")
      }
      const regionId = typeof values.regionId === "string" ? values.regionId : ""
      const draft = await draftOf(
        current,
        kit,
        typeof values.signaal === "string" ? values.signaal : undefined,
      )
      if (draft === null) return kit.notFound(c, current)
      if (draft !== undefined && Exit.isFailure(draft)) return kit.failure(c, current, draft.cause)
      const fromSignal = draft?.value
      if (fromSignal !== undefined && fromSignal.regionId !== regionId) return kit.notFound(c, current)
      const context = await kit.run(current, formContext(current, regionId))
      if (Exit.isFailure(context)) return kit.failure(c, current, context.cause)
      if (context.value === undefined)
        return kit.notFound(c, current, "Deze regio bestaat niet of is niet de uwe.")
      const region = context.value.region
      const principal = current.caller.principal
      const formed = submissionOf(
        region,
        { name: principal.name, partyRole: principal.partyRole, organisationId: principal.organisationId },
        values,
        context.value.schools,
      )
      const { consentSlots } = formed
      // The school's records go with a referral from a signal as they were imported: read again
      // from the draft, never from the form.
      const submission =
        fromSignal === undefined
          ? formed.submission
          : withRecords(formed.submission, fromSignal.absence.records)
      // The region's own fields are the plug-in's to check, after the domain's; so that a first
      // attempt lists every empty required field at once, the required ones of its schema are
      // named here too when the domain's check already failed.
      const decoded = Decode.decodeUnknown(
        Referral.ReferralSubmission,
        "aanmelding",
      )(submission).pipe(
        Either.mapLeft((invalid) => {
          const extension = (submission as { extension?: Record<string, unknown> }).extension ?? {}
          const empty = region.fields
            .filter((f) => {
              const value = extension[f.key]
              return f.required && (value === undefined || (Array.isArray(value) && value.length === 0))
            })
            .map((f) => ({ path: f.name, message: "is verplicht" }))
          return new Errors.ValidationError({
            ...invalid,
            issues: [...invalid.issues, ...empty] as typeof invalid.issues,
          })
        }),
      )
      const exit = await kit.run(
        current,
        Effect.flatMap(decoded, (valid) =>
          Referrals.submit(valid, fromSignal === undefined ? undefined : { fromSignal: fromSignal.signalId }),
        ),
      )
      if (Exit.isSuccess(exit)) {
        const receipt = exit.value
        // A referral added to the pupil's open case has no status of its own to follow.
        return c.redirect(
          receipt.addedToOpenCase ? "/aanmeldingen?toegevoegd=1" : `/aanmeldingen/${receipt.referralId}`,
          303,
        )
      }
      const refusal = refusalOf(kit.failureOf(exit))
      if (refusal === undefined) return kit.failure(c, current, exit.cause)
      const { fields, general } = errorsOf(
        region,
        consentSlots,
        refusal.issues,
        schoolFieldOf(context.value.schools),
      )
      return formPage(
        c,
        kit,
        current,
        context.value,
        values,
        { errors: fields, general, title: refusal.title },
        422,
        fromSignal,
      )
    })

    app.get("/aanmeldingen", async (c) => {
      c.set("route", "/aanmeldingen")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      if (!mayRefer(current)) return kit.forbidden(c, current)
      const cursor = c.req.query("cursor")
      const exit = await kit.run(
        current,
        Effect.all({
          page: Referrals.listOwn({ cursor: cursor === "" ? undefined : cursor, limit: 25 }),
          regions: Regions.Regions,
        }),
      )
      if (Exit.isFailure(exit)) {
        // A stale or altered cursor: the first page, not an error.
        if ((kit.failureOf(exit) as { _tag?: string } | undefined)?._tag === "InvalidCursor")
          return c.redirect("/aanmeldingen", 303)
        return kit.failure(c, current, exit.cause)
      }
      const { page, regions } = exit.value
      return kit.page(
        c,
        current,
        { title: "Mijn aanmeldingen" },
        <>
          <H1>Mijn aanmeldingen</H1>
          {c.req.query("toegevoegd") === undefined ? null : (
            <Alert type="ok">
              <p class="utrecht-paragraph">
                Uw aanmelding is toegevoegd aan de casus die voor deze leerling al loopt. De regiehouder ziet
                haar in het dossier.
              </p>
            </Alert>
          )}
          <P>
            De leerlingen die u zelf heeft aangemeld, nieuwste eerst, met de status van hun casus.{" "}
            <a class="utrecht-link" href="/aanmeldingen/nieuw">
              Nieuwe aanmelding
            </a>
          </P>
          <Table
            caption="Uw aanmeldingen"
            headers={[
              "Leerling",
              "Regio",
              "Aangemeld op",
              "Status",
              "Status sinds",
              "Overdracht of afsluiting",
            ]}
            empty="U heeft nog niemand aangemeld."
            rows={page.items.map((item) => [
              <a class="utrecht-link" href={`/aanmeldingen/${item.referralId}`}>
                {item.pupil}
              </a>,
              regions.get(item.regionId)?.region.name ?? item.regionId,
              dutchDateTime(item.submittedAt),
              item.status.label,
              dutchDateTime(item.statusAt),
              <Outcome item={item} />,
            ])}
          />
          <Pagination
            path="/aanmeldingen"
            query={{ cursor }}
            nextCursor={page.nextCursor}
            hasPrevious={cursor !== undefined && cursor !== ""}
          />
        </>,
      )
    })

    app.get("/aanmeldingen/:referralId", async (c) => {
      c.set("route", "/aanmeldingen/:referralId")
      const current = await kit.signedIn(c)
      if (current instanceof Response) return current
      if (!mayRefer(current)) return kit.forbidden(c, current)
      const referralId = c.req.param("referralId")
      if (!Schema.is(Ids.ReferralId)(referralId)) return kit.notFound(c, current)
      const exit = await kit.run(
        current,
        Effect.flatMap(Referrals.status(referralId), (item) =>
          Effect.map(RegionReads.detail(item.regionId), (detail) => ({ item, detail })),
        ),
      )
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      const { item, detail } = exit.value
      const state = detail.workflow.states.find((s) => s.id === item.status.id)
      const fresh = item.status.id === detail.workflow.initial
      return kit.page(
        c,
        current,
        { title: `Aanmelding bij ${detail.region.name}` },
        <>
          <H1>Aanmelding bij {detail.region.name}</H1>
          {fresh ? (
            <Alert type="ok">
              <p class="utrecht-paragraph">De regio heeft uw aanmelding ontvangen.</p>
            </Alert>
          ) : null}
          <DataList
            items={[
              ["Leerling", item.pupil],
              ["Aangemeld op", dutchDateTime(item.submittedAt)],
              ["Status", item.status.label],
              ["Status sinds", dutchDateTime(item.statusAt)],
              ["Overdracht of afsluiting", <Outcome item={item} />],
            ]}
          />
          <section class="vr-status-next" aria-labelledby="kop-verder">
            <h2 class="utrecht-heading-2" id="kop-verder">
              Wat gebeurt er nu?
            </h2>
            {state === undefined ? null : <P>{state.description}</P>}
            {state?.final === true ? (
              <P>Deze casus is afgerond. U hoeft niets meer te doen.</P>
            ) : (
              <P>
                De regio neemt contact met u op als zij meer wil weten. Aanspreekpunt in de regio:{" "}
                {detail.manifest.contactRoles.join(", ")}. U ziet hier en in Mijn aanmeldingen hoe de casus
                verder gaat; het dossier zelf is alleen voor de regiehouder en de regio.
              </P>
            )}
          </section>
          <P>
            <a class="utrecht-link" href="/aanmeldingen">
              Naar Mijn aanmeldingen
            </a>
          </P>
        </>,
      )
    })
  },
}
