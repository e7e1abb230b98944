/**
 * Verzuim: the school's own pages for its imported absence data (issue 15), for the
 * `school-verzuim` role (a mentor or zorgcoördinator): the school's signals and acting on one
 * (gezien with a note, geen actie with a reason, aanmelden at the region), importing an export of
 * the school's administration system, and the DUO meldingen with their status.
 *
 * Every read and change goes through `Absence` in `packages/app`, the use cases of the API and
 * the CLI: the school is the caller's own organisation, never a parameter, so a signal of another
 * school is "Niet gevonden" (404) as over the API; another role gets the 403 page. Addresses carry
 * ids only (`/verzuim/signalen/sig_…`): no pupil number or name in a URL, a log line or a title.
 */
import { Absence } from "@verzuimregie/app"
import { AbsenceSignal, HttpMeaning, Ids, LocalDate } from "@verzuimregie/domain"
import { Exit, Schema } from "effect"
import type { Context, Hono } from "hono"
import {
  Alert,
  CsrfField,
  DataList,
  DateField,
  dutchDate,
  dutchDateTime,
  ErrorSummary,
  type FieldErrors,
  fieldId,
  SelectField,
  SubmitButton,
  Table,
  TextArea,
} from "../Components.js"
import { type Current, fromOwnOrigin, type PageKit, type PageModule, type WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"
import { boundaryOf, receiveUpload, UploadRefused } from "../Upload.js"
import { ABSENCE_STYLES, dutchNumber, measureText, RecordsTable } from "./AbsenceParts.js"

const ROLES = Absence.SCHOOL_ABSENCE_ROLES
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** The longest note or reason a person may type (the use case's limit). */
const TEXT_MAX = Absence.MAX_NOTE_LENGTH

/** What the signals list filters on: the open ones by default (what still needs someone). */
const STATUS_FILTERS: ReadonlyArray<{
  readonly value: string
  readonly label: string
  readonly statuses: ReadonlyArray<AbsenceSignal.SignalStatus> | undefined
}> = [
  { value: "open", label: "Open (nieuw en gezien)", statuses: ["nieuw", "gezien"] },
  ...AbsenceSignal.SignalStatus.literals.map((status) => ({
    value: status,
    label: AbsenceSignal.signalStatusLabel[status],
    statuses: [status] as ReadonlyArray<AbsenceSignal.SignalStatus>,
  })),
  { value: "alle", label: "Alle", statuses: undefined },
]

const TYPES = AbsenceSignal.SignalType.literals

/** New ones first, then the most recent finding first. */
const STATUS_ORDER: Readonly<Record<AbsenceSignal.SignalStatus, number>> = {
  nieuw: 0,
  gezien: 1,
  aangemeld: 2,
  "geen-actie": 3,
  vervallen: 4,
}

const bySignalOrder = (a: Absence.SignalListItem, b: Absence.SignalListItem) =>
  STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
  (a.firesOn < b.firesOn ? 1 : a.firesOn > b.firesOn ? -1 : 0)

const signalPath = (id: string) => `/verzuim/signalen/${id}`

const pupilText = (pupil: Absence.SignalListItem["pupil"]) =>
  pupil.name === null ? pupil.pupilNumber : `${pupil.name} (${pupil.pupilNumber})`

const period = (from: string, to: string) =>
  from === to ? dutchDate(from) : `${dutchDate(from)} – ${dutchDate(to)}`

/** A 4xx failure of a use case (not 403/404) as the person can mend it: by field, or in general. */
const problemsOf = (
  failure: unknown,
  fieldOf: (path: string) => string | undefined,
): { readonly errors: FieldErrors; readonly general: ReadonlyArray<string> } | undefined => {
  const problem = HttpMeaning.problemOf(failure)
  if (problem === undefined || problem.status < 400 || problem.status >= 500) return undefined
  if (problem.status === 403 || problem.status === 404) return undefined
  const errors: Record<string, string> = {}
  const general: Array<string> = []
  for (const issue of problem.issues ?? []) {
    const field = fieldOf(issue.path)
    if (field === undefined) general.push(issue.message)
    else errors[field] ??= issue.message
  }
  if (Object.keys(errors).length === 0 && general.length === 0)
    general.push(problem.detail ?? problem.title ?? "Dit kan nu niet.")
  return { errors, general }
}

// ---------------------------------------------------------------------------------------------
// The signals list
// ---------------------------------------------------------------------------------------------

const SignalsPage = (props: {
  readonly items: ReadonlyArray<Absence.SignalListItem>
  readonly status: string
  readonly type: string
}) => (
  <>
    <H1>Verzuimsignalen</H1>
    <P>
      Wat de regels zien in het verzuim dat uw school heeft ingelezen: de meldplicht, luxe verzuim, langdurig
      verzuim, M@ZL en patronen van grijs verzuim. Nieuwe signalen staan bovenaan.{" "}
      <a class="utrecht-link" href="/verzuim/importeren">
        Verzuim inlezen
      </a>{" "}
      ·{" "}
      <a class="utrecht-link" href="/verzuim/duo">
        Meldingen bij DUO
      </a>
    </P>
    <form method="get" action="/verzuim" class="vr-filters" novalidate>
      <SelectField
        name="status"
        label="Status"
        required
        options={STATUS_FILTERS.map((f) => ({ value: f.value, label: f.label }))}
        value={props.status}
      />
      <SelectField
        name="soort"
        label="Soort signaal"
        required
        options={[
          { value: "", label: "Alle soorten" },
          ...TYPES.map((t) => ({ value: t, label: AbsenceSignal.signalTypeLabel[t] })),
        ]}
        value={props.type}
      />
      <div class="utrecht-form-field">
        <SubmitButton secondary>Filteren</SubmitButton>
      </div>
    </form>
    <Table
      caption={`Signalen: ${props.items.length}`}
      headers={["Soort", "Leerling", "Periode", "Omvang", "Toelichting", "Status"]}
      empty="Geen signalen met deze keuze."
      rows={props.items.map((s) => [
        <a class="utrecht-link" href={signalPath(s.id)}>
          {s.typeLabel}
        </a>,
        pupilText(s.pupil),
        period(s.from, s.to),
        measureText(s.type, s.measure),
        s.explanation,
        <>
          {AbsenceSignal.signalStatusLabel[s.status]}
          {s.reopened > 0 ? " (heropend)" : ""}
        </>,
      ])}
    />
  </>
)

// ---------------------------------------------------------------------------------------------
// One signal
// ---------------------------------------------------------------------------------------------

interface SignalForms {
  readonly values?: { readonly note?: string; readonly reason?: string }
  readonly errors?: FieldErrors
  readonly general?: ReadonlyArray<string>
}

const SignalPage = (props: {
  readonly s: Absence.SignalDetail
  readonly csrfToken: string
  readonly notice: string | undefined
  readonly forms: SignalForms
  readonly mayRefer: boolean
}) => {
  const { s, forms } = props
  const open = s.status === "nieuw" || s.status === "gezien"
  const errors = forms.errors ?? {}
  return (
    <>
      <H1>{s.typeLabel}</H1>
      <P>
        <a class="utrecht-link" href="/verzuim">
          Terug naar de signalen
        </a>
      </P>
      {props.notice === undefined ? null : (
        <Alert type="ok">
          <p class="utrecht-paragraph">{props.notice}</p>
        </Alert>
      )}
      <ErrorSummary
        errors={errors}
        general={forms.general ?? []}
        labels={{ note: "Notitie", reason: "Reden" }}
      />
      <DataList
        items={[
          ["Leerling", pupilText(s.pupil)],
          ["Geboortedatum", dutchDate(s.pupilBirthDate)],
          ["Periode", period(s.from, s.to)],
          ["Signaal sinds", dutchDate(s.firesOn)],
          ["Omvang", measureText(s.type, s.measure)],
          ["Toelichting", s.explanation],
          [
            "Status",
            `${AbsenceSignal.signalStatusLabel[s.status]}${s.reopened > 0 ? ` (${s.reopened} keer heropend)` : ""}`,
          ],
          ...(s.note === null ? [] : [["Notitie", s.note] as const]),
          ...(s.reason === null ? [] : [["Reden geen actie", s.reason] as const]),
          ...(s.referralId === null ? [] : [["Aanmelding", s.referralId] as const]),
          ...(AbsenceSignal.reportableToDuo.has(s.type)
            ? [["Melding bij DUO", s.duoStatus ?? "Nog geen status vastgelegd"] as const]
            : []),
          ["Laatst gewijzigd", dutchDateTime(s.updatedAt)],
        ]}
      />
      {open ? (
        <section aria-labelledby="kop-handelen">
          <h2 class="utrecht-heading-2" id="kop-handelen">
            Wat doet u met dit signaal?
          </h2>
          <div class="vr-actions">
            {props.mayRefer ? (
              <div class="vr-action-form">
                <h3 class="utrecht-heading-3">Aanmelden bij de regio</h3>
                <P>Het aanmeldformulier van de regio, met de leerling en het verzuim al ingevuld.</P>
                <a
                  class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action"
                  href={`/aanmeldingen/nieuw?signaal=${s.id}`}
                >
                  Aanmelden
                </a>
              </div>
            ) : null}
            {s.status === "nieuw" ? (
              <form class="vr-action-form" method="post" action={`${signalPath(s.id)}/gezien`} novalidate>
                <h3 class="utrecht-heading-3">Gezien</h3>
                <CsrfField token={props.csrfToken} />
                <TextArea
                  name="note"
                  label="Notitie"
                  required
                  description="Wat doet de school? Bijvoorbeeld: gesprek met ouders gepland. Geen namen."
                  value={forms.values?.note}
                  error={errors.note}
                  maxlength={TEXT_MAX}
                  rows={3}
                />
                <SubmitButton>Gezien</SubmitButton>
              </form>
            ) : null}
            <form class="vr-action-form" method="post" action={`${signalPath(s.id)}/geen-actie`} novalidate>
              <h3 class="utrecht-heading-3">Geen actie</h3>
              <CsrfField token={props.csrfToken} />
              <TextArea
                name="reason"
                label="Reden"
                required
                description="Waarom is geen actie nodig? Bijvoorbeeld: verlof achteraf verleend."
                value={forms.values?.reason}
                error={errors.reason}
                maxlength={TEXT_MAX}
                rows={3}
              />
              <SubmitButton secondary>Geen actie</SubmitButton>
            </form>
          </div>
        </section>
      ) : null}
      <section aria-labelledby="kop-registraties">
        <h2 class="utrecht-heading-2" id="kop-registraties">
          Verzuim in de 12 weken tot het signaal
        </h2>
        <RecordsTable
          caption={`Verzuim van ${s.pupil.pupilNumber}, ${period(s.recordsPeriod.from, s.recordsPeriod.to)}`}
          records={s.records}
        />
      </section>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

interface ImportValues {
  readonly mapping?: string
  readonly from?: string
  readonly to?: string
  readonly skipBadRows?: boolean
}

const IMPORT_LABELS = {
  mapping: "Indeling van het bestand",
  from: "Periode vanaf",
  to: "Periode tot en met",
  bestand: "Bestand",
}

const ImportForm = (props: {
  readonly mappings: ReadonlyArray<Absence.MappingSummary>
  readonly csrfToken: string
  readonly values: ImportValues
  readonly errors: FieldErrors
  readonly general: ReadonlyArray<string>
  readonly limitBytes: number
}) => {
  const { errors, values } = props
  return (
    <>
      <H1>Verzuim inlezen</H1>
      <P>
        Lees een export uit de leerlingadministratie van uw school in (CSV of Excel). Het bestand vervangt het
        verzuim van uw school in de gekozen periode: een gecorrigeerd bestand opnieuw inlezen verdubbelt
        niets. Een bestand met fouten wordt niet ingelezen, tenzij u kiest de foute regels over te slaan.
      </P>
      <ErrorSummary errors={errors} general={props.general} labels={IMPORT_LABELS} />
      <form method="post" action="/verzuim/importeren" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.csrfToken} />
        <SelectField
          name="mapping"
          label={IMPORT_LABELS.mapping}
          required
          description="Welk systeem het bestand maakte. Een voorbeeldindeling is een voorbeeld: controleer de kolommen en codes tegen de export van uw eigen school."
          options={props.mappings.map((m) => ({
            value: m.name,
            label: `${m.title}${m.example ? " (voorbeeld)" : ""}`,
          }))}
          value={values.mapping}
          error={errors.mapping}
          placeholder="Kies …"
        />
        <DateField name="from" label={IMPORT_LABELS.from} required value={values.from} error={errors.from} />
        <DateField
          name="to"
          label={IMPORT_LABELS.to}
          required
          value={values.to}
          error={errors.to}
          description="Het bestand moet precies deze periode beslaan; het verzuim van uw school in deze periode wordt vervangen."
        />
        <div
          class={`utrecht-form-field utrecht-form-field--text${errors.bestand === undefined ? "" : " utrecht-form-field--invalid"}`}
        >
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for={fieldId("bestand")}>
              {IMPORT_LABELS.bestand}
            </label>
          </div>
          <div class="utrecht-form-field-description" id={`${fieldId("bestand")}-uitleg`}>
            CSV (puntkomma of komma, UTF-8 of Windows-1252) of Excel (.xlsx), hoogstens{" "}
            {Math.floor(props.limitBytes / (1024 * 1024))} MB.
          </div>
          {errors.bestand === undefined ? null : (
            <div class="utrecht-form-field-error-message" id={`${fieldId("bestand")}-fout`}>
              {errors.bestand}
            </div>
          )}
          <div class="utrecht-form-field__input">
            <input
              class="vr-file"
              type="file"
              id={fieldId("bestand")}
              name="bestand"
              required
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-invalid={errors.bestand === undefined ? undefined : "true"}
              aria-describedby={`${fieldId("bestand")}-uitleg${errors.bestand === undefined ? "" : ` ${fieldId("bestand")}-fout`}`}
            />
          </div>
        </div>
        <div class="utrecht-form-field utrecht-form-field--checkbox">
          <input
            class="utrecht-checkbox utrecht-checkbox--html-input"
            type="checkbox"
            id={fieldId("skipBadRows")}
            name="skipBadRows"
            value="ja"
            checked={values.skipBadRows === true}
          />
          <label class="utrecht-form-label utrecht-form-label--checkbox" for={fieldId("skipBadRows")}>
            Foute regels overslaan (het verslag noemt elke overgeslagen regel)
          </label>
        </div>
        <SubmitButton>Inlezen</SubmitButton>
      </form>
    </>
  )
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ";": "puntkomma's", ",": "komma's", "\t": "tabs" }

const formatText = (format: Absence.ImportReport["format"]) => {
  if (format.kind === "xlsx") return "Excel (.xlsx)"
  const delimiter =
    format.delimiter === null ? null : (DELIMITER_NAMES[format.delimiter] ?? `„${format.delimiter}”`)
  return [
    "CSV",
    delimiter === null ? null : `gescheiden door ${delimiter}`,
    format.encoding?.toUpperCase() ?? null,
  ]
    .filter((x) => x !== null)
    .join(", ")
}

const ReportPage = (props: { readonly report: Absence.ImportReport }) => {
  const { report } = props
  const landed = report.outcome === "geimporteerd"
  return (
    <>
      <H1>{landed ? "Verzuim ingelezen" : "Bestand niet ingelezen"}</H1>
      <Alert type={landed ? (report.rows.skipped > 0 ? "warning" : "ok") : "error"}>
        <p class="utrecht-paragraph">
          {landed
            ? report.rows.skipped > 0
              ? `Het bestand is ingelezen, zonder ${report.rows.skipped} foute ${report.rows.skipped === 1 ? "regel" : "regels"}.`
              : "Het bestand is ingelezen."
            : "Er is niets veranderd: het bestand heeft fouten. Verbeter ze en lees het opnieuw in, of kies ervoor de foute regels over te slaan."}
        </p>
        {report.fileProblem === null ? null : <p class="utrecht-paragraph">{report.fileProblem}</p>}
      </Alert>
      <DataList
        items={[
          ["Periode", period(report.period.from, report.period.to)],
          ["Bestand", formatText(report.format)],
          ["Regels gelezen", String(report.rows.read)],
          ["Regels ingelezen", String(report.rows.imported)],
          ["Regels overgeslagen", String(report.rows.skipped)],
          ["Vervangen registraties", String(report.replaced)],
          ["Fouten", String(report.problemCount)],
          ...(landed
            ? ([
                ["Nieuwe signalen", String(report.signals.created)],
                ["Heropende signalen", String(report.signals.reopened)],
                ["Bijgewerkte signalen", String(report.signals.updated)],
                ["Vervallen signalen", String(report.signals.withdrawn)],
              ] as const)
            : []),
        ]}
      />
      {report.problems.length === 0 ? null : (
        <section aria-labelledby="kop-fouten">
          <h2 class="utrecht-heading-2" id="kop-fouten">
            Foute regels
          </h2>
          {report.problemCount > report.problems.length ? (
            <P>
              De eerste {report.problems.length} van {report.problemCount} fouten.
            </P>
          ) : null}
          <Table
            caption={
              landed ? "Overgeslagen regels met de reden" : "Fouten in het bestand, per regel en kolom"
            }
            headers={["Regel", "Kolom", "Wat er mis is"]}
            rows={report.problems.map((p) => [String(p.line), p.column === "" ? "—" : p.column, p.reason])}
          />
        </section>
      )}
      {report.skippedLines.length === 0 ? null : (
        <P>Overgeslagen regels: {report.skippedLines.join(", ")}.</P>
      )}
      <P>
        {landed ? (
          <a class="utrecht-link" href="/verzuim">
            Naar de signalen
          </a>
        ) : null}
        {landed ? " · " : null}
        <a class="utrecht-link" href="/verzuim/importeren">
          {landed ? "Nog een bestand inlezen" : "Opnieuw inlezen"}
        </a>
      </P>
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// DUO
// ---------------------------------------------------------------------------------------------

const DuoPage = (props: {
  readonly items: ReadonlyArray<Absence.DuoMeldingItem>
  readonly csrfToken: string
  readonly notice: string | undefined
}) => {
  const late = props.items.filter((m) => m.late).length
  return (
    <>
      <H1>Meldingen bij DUO</H1>
      <P>
        Voor elk signaal van de meldplicht en van luxe verzuim: wat uw school in het verzuimregister van DUO
        meldt (Leerplichtwet 1969, art. 21a). verzuimregie stuurt niets naar DUO; legt u hier de status vast
        die DUO geeft.{" "}
        <a class="utrecht-link" href="/verzuim/duo/meldingen.xlsx">
          Meldingen downloaden (Excel)
        </a>
      </P>
      {props.notice === undefined ? null : (
        <Alert type="ok">
          <p class="utrecht-paragraph">{props.notice}</p>
        </Alert>
      )}
      {late === 0 ? null : (
        <Alert type="warning">
          <p class="utrecht-paragraph">
            {late === 1 ? "1 melding is te laat" : `${late} meldingen zijn te laat`}: de termijn is verstreken
            zonder status bij DUO.
          </p>
        </Alert>
      )}
      <Table
        caption={`Meldingen: ${props.items.length}`}
        headers={["Leerling", "Soort", "Periode", "Uren", "Melden uiterlijk", "Op tijd", "Status bij DUO"]}
        empty="Geen meldingen: er zijn geen signalen van de meldplicht of van luxe verzuim."
        rows={props.items.map((m) => [
          <a class="utrecht-link" href={signalPath(m.signalId)}>
            {m.pupilNumber}
          </a>,
          m.kind === "luxe verzuim" ? "Luxe verzuim" : "Relatief verzuim",
          period(m.from, m.to),
          dutchNumber(m.hours),
          dutchDate(m.dueOn),
          m.late ? <strong>Te laat</strong> : "Op tijd",
          <form class="vr-row-form" method="post" action={`/verzuim/duo/${m.signalId}`}>
            <CsrfField token={props.csrfToken} />
            <label class="vr-visually-hidden" for={`duo-${m.signalId}`}>
              Status bij DUO van de melding over {m.pupilNumber}
            </label>
            <select class="utrecht-select utrecht-select--html-select" id={`duo-${m.signalId}`} name="status">
              <option value="" selected={m.status === null}>
                Nog niet gemeld
              </option>
              {AbsenceSignal.DuoMeldingStatus.literals.map((status) => (
                <option value={status} selected={m.status === status}>
                  {status}
                </option>
              ))}
            </select>
            <SubmitButton secondary>Opslaan</SubmitButton>
          </form>,
        ])}
      />
    </>
  )
}

// ---------------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------------

const text = (value: unknown) => (typeof value === "string" ? value.trim() : "")

export const absencePages: PageModule = {
  name: "verzuim",
  prefixes: ["/verzuim"],
  styles: `${ABSENCE_STYLES}
.vr-file{font:inherit;padding:.5rem 0}
`,
  mount: <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
    const signalPage = async (
      c: Context,
      current: Current,
      id: Ids.SignalId,
      forms: SignalForms,
      status = 200,
      notice?: string,
    ) => {
      const exit = await kit.run(current, Absence.signal(id))
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      const failed = Object.keys(forms.errors ?? {}).length > 0 || (forms.general ?? []).length > 0
      return kit.page(
        c,
        current,
        // The title names the kind of signal, never the pupil.
        { title: `${failed ? "Fout: " : ""}Signaal ${exit.value.typeLabel}`, status },
        <SignalPage
          s={exit.value}
          csrfToken={current.session.csrfToken}
          notice={notice}
          forms={forms}
          // A school's verzuim user refers from a signal (`Referrals.submit` with `fromSignal`).
          mayRefer
        />,
      )
    }

    app.get("/verzuim", async (c) => {
      c.set("route", "/verzuim")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const statusFilter = STATUS_FILTERS.find((f) => f.value === c.req.query("status")) ?? STATUS_FILTERS[0]
      const type = TYPES.find((t) => t === c.req.query("soort"))
      const exit = await kit.run(
        current,
        Absence.signals({
          ...(statusFilter?.statuses === undefined ? {} : { status: statusFilter.statuses }),
          ...(type === undefined ? {} : { type: [type] }),
        }),
      )
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return kit.page(
        c,
        current,
        { title: "Verzuimsignalen" },
        <SignalsPage
          items={[...exit.value].sort(bySignalOrder)}
          status={statusFilter?.value ?? "open"}
          type={type ?? ""}
        />,
      )
    })

    app.get("/verzuim/signalen/:signalId", async (c) => {
      c.set("route", "/verzuim/signalen/:signalId")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const id = c.req.param("signalId")
      if (!Schema.is(Ids.SignalId)(id)) return kit.notFound(c, current)
      const done = c.req.query("gedaan")
      return signalPage(
        c,
        current,
        id,
        {},
        200,
        done === "gezien"
          ? "Het signaal staat op gezien."
          : done === "geen-actie"
            ? "Het signaal staat op geen actie."
            : undefined,
      )
    })

    const act = (route: "gezien" | "geen-actie") =>
      app.post(`/verzuim/signalen/:signalId/${route}`, async (c) => {
        c.set("route", `/verzuim/signalen/:signalId/${route}`)
        const current = await kit.signedInWith(c, ROLES)
        if (current instanceof Response) return current
        const form = await c.req.parseBody()
        if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
        const id = c.req.param("signalId")
        if (!Schema.is(Ids.SignalId)(id)) return kit.notFound(c, current)
        const field = route === "gezien" ? "note" : "reason"
        const value = text(form[field])
        const values = { [field]: value }
        if (value === "")
          return signalPage(
            c,
            current,
            id,
            {
              values,
              errors: {
                [field]:
                  route === "gezien"
                    ? "Schrijf op wat de school met dit signaal doet."
                    : "Schrijf op waarom geen actie nodig is.",
              },
            },
            422,
          )
        if (value.length > TEXT_MAX)
          return signalPage(
            c,
            current,
            id,
            { values, errors: { [field]: `Hoogstens ${TEXT_MAX} tekens.` } },
            422,
          )
        const exit = await kit.run(
          current,
          route === "gezien" ? Absence.markSeen(id, value) : Absence.markNoAction(id, value),
        )
        if (Exit.isSuccess(exit)) return c.redirect(`${signalPath(id)}?gedaan=${route}`, 303)
        const problems = problemsOf(kit.failureOf(exit), (path) =>
          path === field || path.startsWith(`${field}.`) ? field : undefined,
        )
        if (problems === undefined) return kit.failure(c, current, exit.cause)
        return signalPage(c, current, id, { values, ...problems }, 422)
      })
    act("gezien")
    act("geen-actie")

    // --- import -------------------------------------------------------------------------------

    const importForm = async (
      c: Context,
      current: Current,
      values: ImportValues,
      errors: FieldErrors,
      general: ReadonlyArray<string>,
      status = 200,
    ) => {
      const exit = await kit.run(current, Absence.mappings)
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      const failed = Object.keys(errors).length > 0 || general.length > 0
      return kit.page(
        c,
        current,
        { title: `${failed ? "Fout: " : ""}Verzuim inlezen`, status },
        <ImportForm
          mappings={exit.value}
          csrfToken={current.session.csrfToken}
          values={values}
          errors={errors}
          general={general}
          limitBytes={kit.uploadLimitBytes}
        />,
      )
    }

    app.get("/verzuim/importeren", async (c) => {
      c.set("route", "/verzuim/importeren")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      return importForm(c, current, {}, {}, [])
    })

    app.post("/verzuim/importeren", async (c) => {
      c.set("route", "/verzuim/importeren")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      // The origin first, before a byte of the body is read; the token when the file part begins.
      if (!fromOwnOrigin(c)) return kit.formRefused(c, current)
      const limit = kit.uploadLimitBytes
      const tooBig = `Het bestand is te groot: hoogstens ${Math.floor(limit / (1024 * 1024))} MB. Lees het verzuim in kleinere perioden in.`
      const declared = Number(c.req.header("content-length") ?? "0")
      if (declared > limit + 64 * 1024) {
        c.header("connection", "close")
        return importForm(c, current, {}, { bestand: tooBig }, [], 413)
      }
      // Not a file upload (a forged or hand-made post): the token decides, then the file is missing.
      if (boundaryOf(c.req.header("content-type")) === undefined) {
        if (declared > 64 * 1024) return kit.formRefused(c, current)
        const form = await c.req.parseBody()
        if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
        return importForm(c, current, {}, { bestand: "Kies het bestand met het verzuim." }, [], 422)
      }
      let upload: Awaited<ReturnType<typeof receiveUpload>>
      try {
        upload = await receiveUpload(c.req.raw, {
          fileField: "bestand",
          maxFileBytes: limit,
          directory: kit.uploadDirectory,
          beforeFile: (fields) => kit.formAccepted(c, current, fields),
        })
      } catch (error) {
        if (!(error instanceof UploadRefused)) throw error
        if (error.reason === "geweigerd") return kit.formRefused(c, current)
        if (error.reason === "te-groot") {
          c.header("connection", "close")
          return importForm(c, current, {}, { bestand: tooBig }, [], 413)
        }
        return importForm(c, current, {}, {}, [error.message], 400)
      }
      try {
        const { fields, file } = upload
        if (!kit.formAccepted(c, current, fields)) return kit.formRefused(c, current)
        const values: ImportValues = {
          mapping: text(fields.mapping),
          from: text(fields.from),
          to: text(fields.to),
          skipBadRows: fields.skipBadRows === "ja",
        }
        const mappings = await kit.run(current, Absence.mappings)
        if (Exit.isFailure(mappings)) return kit.failure(c, current, mappings.cause)
        const errors: Record<string, string> = {}
        if (!mappings.value.some((m) => m.name === values.mapping))
          errors.mapping = "Kies de indeling van het bestand."
        const from = values.from ?? ""
        const to = values.to ?? ""
        if (!LocalDate.isLocalDate(from)) errors.from = "Vul de eerste dag van de periode in."
        if (!LocalDate.isLocalDate(to)) errors.to = "Vul de laatste dag van de periode in."
        else if (LocalDate.isLocalDate(from) && to < from)
          errors.to = "De laatste dag ligt vóór de eerste dag van de periode."
        if (file === undefined) errors.bestand = "Kies het bestand met het verzuim."
        else if (file.size === 0) errors.bestand = "Het bestand is leeg."
        if (Object.keys(errors).length > 0 || file === undefined) {
          if (file !== undefined && errors.bestand === undefined)
            errors.bestand = "Kies het bestand opnieuw: een browser stuurt het niet nog eens mee."
          return importForm(c, current, values, errors, [], 422)
        }
        const exit = await kit.run(
          current,
          Absence.importFile({
            schoolId: current.caller.principal.organisationId,
            mapping: values.mapping ?? "",
            period: { from: from as LocalDate.LocalDate, to: to as LocalDate.LocalDate },
            file: { path: file.path, name: file.name },
            skipBadRows: values.skipBadRows === true,
          }),
        )
        if (Exit.isFailure(exit)) {
          const problems = problemsOf(kit.failureOf(exit), (path) => {
            const head = path.split(/[.[]/)[0] ?? ""
            if (head === "mapping") return "mapping"
            if (head === "period") return path.includes("to") ? "to" : "from"
            if (head === "file") return "bestand"
            return undefined
          })
          if (problems === undefined) return kit.failure(c, current, exit.cause)
          return importForm(c, current, values, problems.errors, problems.general, 422)
        }
        const report = exit.value
        return kit.page(
          c,
          current,
          {
            title: report.outcome === "geimporteerd" ? "Verzuim ingelezen" : "Fout: bestand niet ingelezen",
            status: report.outcome === "geimporteerd" ? 200 : 422,
          },
          <ReportPage report={report} />,
        )
      } finally {
        await upload.cleanup()
      }
    })

    // --- DUO ----------------------------------------------------------------------------------

    app.get("/verzuim/duo", async (c) => {
      c.set("route", "/verzuim/duo")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const exit = await kit.run(current, Absence.duoMeldingen)
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return kit.page(
        c,
        current,
        { title: "Meldingen bij DUO" },
        <DuoPage
          items={exit.value}
          csrfToken={current.session.csrfToken}
          notice={c.req.query("opgeslagen") === undefined ? undefined : "De status is opgeslagen."}
        />,
      )
    })

    app.get("/verzuim/duo/meldingen.xlsx", async (c) => {
      c.set("route", "/verzuim/duo/meldingen.xlsx")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const exit = await kit.run(current, Absence.duoWorkbook)
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return new Response(new Uint8Array(exit.value), {
        status: 200,
        headers: {
          "content-type": XLSX,
          "content-disposition": 'attachment; filename="duo-meldingen.xlsx"',
          "cache-control": "no-store",
          "x-content-type-options": "nosniff",
        },
      })
    })

    app.post("/verzuim/duo/:signalId", async (c) => {
      c.set("route", "/verzuim/duo/:signalId")
      const current = await kit.signedInWith(c, ROLES)
      if (current instanceof Response) return current
      const form = await c.req.parseBody()
      if (!kit.formAccepted(c, current, form)) return kit.formRefused(c, current)
      const id = c.req.param("signalId")
      if (!Schema.is(Ids.SignalId)(id)) return kit.notFound(c, current)
      const status = AbsenceSignal.DuoMeldingStatus.literals.find((s) => s === form.status)
      // "Nog niet gemeld" records nothing: DUO's statuses cannot be taken back, only followed.
      if (status === undefined) return c.redirect("/verzuim/duo", 303)
      const exit = await kit.run(current, Absence.setDuoStatus(id, status))
      if (Exit.isFailure(exit)) return kit.failure(c, current, exit.cause)
      return c.redirect("/verzuim/duo?opgeslagen=1", 303)
    })
  },
}
