/**
 * Absence data (issue 15): a school's export imported by streaming upload, the school's signals
 * and their lifecycle, the DUO meldingen, the coordinator's counts, and a referred pupil's absence
 * in the dossier. The route specs only: who sees what, the audit and the import itself are the
 * `Absence` use cases of `@verzuimregie/app`, which the CLI and the web pages call too.
 */
import { Absence, Access } from "@verzuimregie/app"
import {
  Absence as AbsenceRecords,
  AbsenceSignal,
  Errors,
  Fields,
  HttpMeaning,
  Ids,
  LocalDate,
  Referral,
  Text,
  Timestamp,
} from "@verzuimregie/domain"
import { AbsenceStore, CaseStore } from "@verzuimregie/store"
import { Array as Arr, Effect, Schema } from "effect"
import { type Route, route } from "../http/Route.js"
import type { GatewayServices } from "../Services.js"
import { CaseIdParams } from "./schemas.js"

const TAG = "Verzuim"

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/** The media types an export may be sent as: CSV (any delimiter and encoding) or a workbook. */
export const IMPORT_MEDIA_TYPES = ["text/csv", XLSX] as const

// ---------------------------------------------------------------------------------------------
// Shapes

/** Query values arrive as strings; a list may come as a repeated parameter. */
const OneOrMany = <A, I extends string>(s: Schema.Schema<A, I>) =>
  Schema.Union(s, Schema.Array(s).pipe(Schema.maxItems(20)))

const listOf = <A>(value: A | ReadonlyArray<A>): ReadonlyArray<A> =>
  Array.isArray(value) ? (value as ReadonlyArray<A>) : [value as A]

const MappingName = Schema.String.pipe(
  Schema.pattern(/^[a-z0-9][a-z0-9-]{0,79}$/),
  Schema.annotations({
    description: "De naam van een koppeling (zie GET /absence/mappings), bijvoorbeeld magister",
    message: () =>
      "de naam van een koppeling: kleine letters, cijfers en streepjes (zie GET /absence/mappings)",
  }),
)

const FileName = Schema.String.pipe(
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to reject them
  Schema.pattern(/^[^/\\\u0000-\u001f\u007f]{1,200}$/),
  Schema.annotations({
    description: "De naam van het bestand, voor de meldingen in het verslag (standaard 'upload')",
    message: () => "een bestandsnaam van 1 tot 200 tekens, zonder / of \\ of stuurtekens",
  }),
)

export const ImportQuery = Schema.Struct({
  school: Ids.OrganisationId.annotations({ description: "De school (organisatie-id) van de export" }),
  mapping: MappingName,
  from: LocalDate.LocalDate.annotations({
    description: "Eerste dag van de periode van de export (jjjj-mm-dd)",
  }),
  to: LocalDate.LocalDate.annotations({
    description: "Laatste dag van de periode van de export (jjjj-mm-dd)",
  }),
  skipBadRows: Fields.optional(Schema.Literal("true", "false")).annotations({
    description:
      "true: foute regels overslaan en de rest importeren (het verslag noemt elke overgeslagen regel). Standaard false: één foute regel weigert het hele bestand.",
  }),
  filename: Fields.optional(FileName),
  region: Fields.optional(Ids.RegionId).annotations({
    description:
      "De regio van de school, alleen nodig voor een gebruiker van meer regio's wiens schoolkalenders de school niet noemen",
  }),
}).annotations({ identifier: "AbsenceImportQuery" })

const Period = Schema.Struct({ from: LocalDate.LocalDate, to: LocalDate.LocalDate })

const ImportReportProblem = Schema.Struct({
  line: Schema.Int.annotations({ description: "Regelnummer in het bestand (1 = de kopregel)" }),
  column: Schema.String.annotations({ description: "De kolom zoals de export haar noemt" }),
  reason: Schema.String,
}).annotations({ identifier: "AbsenceImportProblem" })

export const ImportReport = Schema.Struct({
  outcome: Schema.Literal("geimporteerd", "geweigerd"),
  importId: Schema.NullOr(Ids.AbsenceImportId),
  schoolId: Ids.OrganisationId,
  period: Period,
  format: Schema.Struct({
    kind: Schema.Literal("csv", "xlsx"),
    delimiter: Schema.NullOr(Schema.String),
    encoding: Schema.NullOr(Schema.String),
  }),
  rows: Schema.Struct({ read: Schema.Int, imported: Schema.Int, skipped: Schema.Int }),
  replaced: Schema.Int.annotations({ description: "Registraties van de periode die zijn vervangen" }),
  problems: Schema.Array(ImportReportProblem).annotations({ description: "De eerste 100 foute regels" }),
  problemCount: Schema.Int,
  fileProblem: Schema.NullOr(Schema.String),
  skippedLines: Schema.Array(Schema.Int),
  signals: Schema.Struct({
    created: Schema.Int,
    reopened: Schema.Int,
    updated: Schema.Int,
    withdrawn: Schema.Int,
  }),
}).annotations({ identifier: "AbsenceImportReport", title: "Importverslag" })

/**
 * The file was refused: nothing changed. The problem carries the whole report, and every bad row
 * as a field error whose path names the line and the column as the export names it.
 */
export class AbsenceImportRefused extends Schema.TaggedError<AbsenceImportRefused>()(
  "AbsenceImportRefused",
  { report: Schema.Unknown },
  HttpMeaning.status(
    422,
    { type: "https://verzuimregie.nl/problems/absence-import-refused", title: "Het bestand is geweigerd" },
    (error: { readonly report: unknown }) => {
      const report = error.report as Absence.ImportReport
      const lines = report.problems.map((p) => ({
        path: `line[${p.line}][${JSON.stringify(p.column)}]`,
        message: `regel ${p.line}, kolom ${p.column}: ${p.reason}`,
      }))
      return {
        detail: refusalDetail(report),
        issues: report.fileProblem === null ? lines : [{ path: "", message: report.fileProblem }, ...lines],
        report: Schema.encodeSync(ImportReport)(report),
      }
    },
  ),
) {}

/** One Dutch sentence on why a file was refused. */
export const refusalDetail = (report: Absence.ImportReport): string => {
  if (report.fileProblem !== null) return `Niets geïmporteerd: ${report.fileProblem}`
  const more =
    report.problemCount > report.problems.length
      ? `; de eerste ${report.problems.length} staan in errors`
      : ""
  return `Niets geïmporteerd: ${report.problemCount} ${report.problemCount === 1 ? "regel klopt" : "regels kloppen"} niet${more}. Verbeter het bestand, of importeer met skipBadRows=true zonder die regels.`
}

/**
 * The file's name as the report names it, with the extension its media type says: the reader
 * tells a workbook from CSV by the name, and the media type the client sent is what counts.
 */
export const uploadName = (filename: string | undefined, mediaType: string): string => {
  const name = filename ?? "upload"
  if (mediaType === XLSX) return /\.xlsx$/i.test(name) ? name : `${name}.xlsx`
  return /\.xlsx$/i.test(name) ? `${name}.csv` : name
}

/** Where the import's fields are in the request: the query, or the body (the file itself). */
const REQUEST_PATH: Readonly<Record<string, string>> = {
  mapping: "query.mapping",
  schoolId: "query.school",
  period: "query.from",
  "period.from": "query.from",
  "period.to": "query.to",
  regionId: "query.region",
  file: "",
}

/** The use case's field issues named by where the caller put the field (`query.to`). */
const asRequestPaths = <E>(error: E): E =>
  error instanceof Errors.ValidationError
    ? (new Errors.ValidationError({
        ...error,
        issues: Arr.map(error.issues, (i) => ({ ...i, path: REQUEST_PATH[i.path] ?? i.path })),
      }) as E)
    : error

export const MappingSummary = Schema.Struct({
  name: Schema.String,
  title: Schema.String,
  system: Schema.String,
  example: Schema.Boolean.annotations({
    description: "Een meegeleverd voorbeeld: controleer het eerst tegen de eigen export van de school",
  }),
}).annotations({ identifier: "AbsenceMapping" })

const SignalIdParams = Schema.Struct({ signalId: Ids.SignalId })

export const SignalQuery = Schema.Struct({
  status: Fields.optional(OneOrMany(AbsenceSignal.SignalStatus)).annotations({
    description: "Alleen signalen met deze status(sen); standaard alle",
  }),
  type: Fields.optional(OneOrMany(AbsenceSignal.SignalType)).annotations({
    description: "Alleen signalen van deze soort(en); standaard alle",
  }),
}).annotations({ identifier: "AbsenceSignalQuery" })

const signalFields = {
  id: Ids.SignalId,
  type: AbsenceSignal.SignalType,
  typeLabel: Schema.String,
  status: AbsenceSignal.SignalStatus,
  schoolId: Ids.OrganisationId,
  pupil: Schema.Struct({ pupilNumber: Schema.String, name: Schema.NullOr(Schema.String) }),
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
  firesOn: LocalDate.LocalDate,
  measure: Schema.Number.annotations({ description: "De maat van het signaal: uren, meldingen, dagen…" }),
  explanation: Schema.String,
  reopened: Schema.Int,
  duoStatus: Schema.NullOr(AbsenceSignal.DuoMeldingStatus),
  referralId: Schema.NullOr(Ids.ReferralId),
}

export const SignalListItem = Schema.Struct(signalFields).annotations({ identifier: "AbsenceSignal" })

export const SignalDetail = Schema.Struct({
  ...signalFields,
  note: Schema.NullOr(Schema.String),
  reason: Schema.NullOr(Schema.String),
  recordsPeriod: Schema.Struct({ from: LocalDate.LocalDate, to: LocalDate.LocalDate }).annotations({
    description: "De dagen die records beslaat: de 12 weken tot de dag van het signaal, en de eigen periode",
  }),
  records: Schema.Array(AbsenceRecords.AbsenceRecord),
  pupilBirthDate: Schema.NullOr(LocalDate.LocalDate),
  updatedAt: Timestamp.Timestamp,
}).annotations({ identifier: "AbsenceSignalDetail" })

export const SeenBody = Schema.Struct({
  note: Text.LongText.annotations({ description: "Wat u met het signaal doet" }),
}).annotations({ identifier: "AbsenceSignalSeen" })

export const NoActionBody = Schema.Struct({
  reason: Text.LongText.annotations({ description: "Waarom er niets hoeft te gebeuren" }),
}).annotations({ identifier: "AbsenceSignalNoAction" })

export const ReferralDraft = Schema.Struct({
  signalId: Ids.SignalId,
  regionId: Ids.RegionId,
  schoolId: Ids.OrganisationId,
  pupil: Schema.Struct({
    pupilNumber: Schema.String,
    name: Schema.NullOr(Schema.String),
    birthDate: Schema.NullOr(LocalDate.LocalDate),
  }),
  absence: Referral.AbsenceSummary,
  verzuimKind: Referral.VerzuimKind,
}).annotations({ identifier: "AbsenceReferralDraft" })

export const SignalCountRow = Schema.Struct({
  schoolId: Ids.OrganisationId,
  schoolName: Schema.String,
  type: AbsenceSignal.SignalType,
  typeLabel: Schema.String,
  open: Schema.Union(Schema.Int, Schema.Literal("< 5")).annotations({
    description: 'Open signalen (nieuw, gezien); onder de 5 als "< 5", zodat geen leerling herkenbaar is',
  }),
}).annotations({ identifier: "AbsenceSignalCount" })

export const DuoMeldingItem = Schema.Struct({
  signalId: Ids.SignalId,
  pupilNumber: Schema.String,
  kind: Schema.Literal("relatief verzuim", "luxe verzuim"),
  from: LocalDate.LocalDate,
  to: LocalDate.LocalDate,
  hours: Schema.Number,
  dueOn: LocalDate.LocalDate.annotations({
    description: "De dag waarop de melding uiterlijk gedaan moest zijn",
  }),
  late: Schema.Boolean,
  status: Schema.NullOr(AbsenceSignal.DuoMeldingStatus),
}).annotations({ identifier: "DuoMelding" })

export const DuoStatusBody = Schema.Struct({
  status: AbsenceSignal.DuoMeldingStatus,
}).annotations({ identifier: "DuoMeldingStatusChange" })

export const CaseAbsence = Schema.Struct({
  linked: Schema.Boolean.annotations({
    description:
      "Of de casus aan verzuimgegevens van een school is gekoppeld (via een aanmelding vanuit een signaal)",
  }),
  schoolId: Schema.NullOr(Ids.OrganisationId),
  pupilNumber: Schema.NullOr(Schema.String),
  records: Schema.Array(AbsenceRecords.AbsenceRecord),
  totals: Schema.Struct({
    unauthorisedHours: Schema.Number,
    authorisedHours: Schema.Number,
    sickReports: Schema.Int,
    lateCount: Schema.Int,
  }),
  signals: Schema.Array(SignalListItem),
  homeSince: Schema.NullOr(LocalDate.LocalDate),
}).annotations({ identifier: "CaseAbsence" })

// ---------------------------------------------------------------------------------------------
// Examples (synthetic)

const exampleReport: typeof ImportReport.Encoded = {
  outcome: "geimporteerd",
  importId: "imp_0m3kq8v2x7c4p9",
  schoolId: "org_0m3kq8v2x7d1r5",
  period: { from: "2025-08-25", to: "2026-07-10" },
  format: { kind: "csv", delimiter: ";", encoding: "windows-1252" },
  rows: { read: 18_240, imported: 18_240, skipped: 0 },
  replaced: 0,
  problems: [],
  problemCount: 0,
  fileProblem: null,
  skippedLines: [],
  signals: { created: 41, reopened: 0, updated: 0, withdrawn: 0 },
}

const exampleSignal: typeof SignalListItem.Encoded = {
  id: "sig_0m3kq8v2x7c4p9",
  type: "meldplicht",
  typeLabel: AbsenceSignal.signalTypeLabel.meldplicht,
  status: "nieuw",
  schoolId: "org_0m3kq8v2x7d1r5",
  pupil: { pupilNumber: "100234", name: "Sanne Voorbeeld" },
  from: "2026-01-12",
  to: "2026-02-06",
  firesOn: "2026-02-06",
  measure: 16,
  explanation:
    "16 uur ongeoorloofd verzuim in 4 aaneengesloten schoolweken (12 januari tot en met 6 februari).",
  reopened: 0,
  duoStatus: null,
  referralId: null,
}

// ---------------------------------------------------------------------------------------------
// Routes

/** Reading or acting on one signal: not of the caller's school answers 404, never 403. */
const SIGNAL_ERRORS = [
  Access.Forbidden,
  Access.NotFound,
  AbsenceStore.SignalNotFound,
  Absence.SignalClosed,
  Errors.ValidationError,
] as const

/** Reading the school's own lists: no school user (403), or a school the installation lost (404). */
const SCHOOL_ERRORS = [Access.Forbidden, Access.NotFound, Errors.ValidationError] as const

export const absenceRoutes: ReadonlyArray<Route<GatewayServices>> = [
  route(
    {
      method: "post",
      path: "/absence/imports",
      operationId: "importAbsence",
      summary: "Importeer een verzuimexport van de school (CSV of xlsx)",
      description:
        "Voor gebruikers met de rol school-verzuim, voor hun eigen school. Stuur het bestand zelf als body (text/csv, elk scheidingsteken en UTF-8 of Windows-1252; of een .xlsx met één werkblad); de school, de koppeling en de periode staan in de query. Het bestand gaat rechtstreeks naar schijf (grens: UPLOAD_LIMIT_BYTES, standaard 100 MiB; daarboven 413) en wordt na het antwoord verwijderd. De import is atomair: de registraties van de school in de periode worden vervangen door die van het bestand, of er verandert niets. Zonder skipBadRows weigert één foute regel het hele bestand: 422 met het verslag en elke foute regel (regel, kolom, reden; de eerste 100). Daarna worden de signalen van de school bijgewerkt. De import komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      query: ImportQuery,
      upload: {
        mediaTypes: IMPORT_MEDIA_TYPES,
        description: "De export van de leerlingadministratie: CSV (text/csv) of een werkmap (.xlsx)",
      },
      response: { status: 200, schema: ImportReport, description: "Geïmporteerd: het verslag" },
      errors: [AbsenceImportRefused, ...SIGNAL_ERRORS],
      examples: { response: exampleReport },
    },
    ({ query, upload }) =>
      Effect.gen(function* () {
        // `upload` is always there: the mount spools it before the handler runs.
        const file = upload as NonNullable<typeof upload>
        const report = yield* Absence.importFile({
          schoolId: query.school,
          mapping: query.mapping,
          period: { from: query.from, to: query.to },
          file: { path: file.path, name: uploadName(query.filename, file.mediaType) },
          skipBadRows: query.skipBadRows === "true",
          ...(query.region === undefined ? {} : { regionId: query.region }),
        }).pipe(Effect.mapError(asRequestPaths))
        if (report.outcome === "geweigerd") return yield* new AbsenceImportRefused({ report })
        return report
      }),
  ),
  route(
    {
      method: "get",
      path: "/absence/mappings",
      operationId: "listAbsenceMappings",
      summary: "De koppelingen voor verzuimexports (meegeleverde voorbeelden en eigen)",
      description:
        "Welke koppelingen deze installatie kent: hoe een export van Magister, SOMtoday, ParnasSys of Eduarte gelezen wordt. Voorbeelden (example: true) zijn te controleren tegen de eigen export van de school.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      response: { status: 200, schema: Schema.Array(MappingSummary), description: "De koppelingen" },
      errors: [Access.Forbidden],
    },
    () => Absence.mappings,
  ),
  route(
    {
      method: "get",
      path: "/absence/signals",
      operationId: "listAbsenceSignals",
      summary: "Vroegsignalen van de leerlingen van uw school",
      description:
        "De signalen die de regels uit de geïmporteerde verzuimgegevens van uw eigen school afleiden (meldplicht, luxe verzuim, langdurig verzuim, M@ZL, grijs verzuim), te filteren op status en soort. Alleen voor de rol school-verzuim; coördinatoren zien aantallen (GET /absence/counts). Elke opvraging komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      query: SignalQuery,
      response: { status: 200, schema: Schema.Array(SignalListItem), description: "De signalen" },
      errors: [Access.Forbidden, Errors.ValidationError],
      examples: { response: [exampleSignal] },
    },
    ({ query }) =>
      Absence.signals({
        ...(query.status === undefined ? {} : { status: listOf(query.status) }),
        ...(query.type === undefined ? {} : { type: listOf(query.type) }),
      }),
  ),
  route(
    {
      method: "get",
      path: "/absence/signals/:signalId",
      operationId: "getAbsenceSignal",
      summary: "Eén signaal, met de registraties van de leerling in de periode",
      description:
        "Een signaal van uw eigen school met de uitleg, de notitie of reden en het verzuim van de leerling in de periode van het signaal. Een signaal van een andere school bestaat voor u niet (404). Elke inzage komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      params: SignalIdParams,
      response: { status: 200, schema: SignalDetail, description: "Het signaal" },
      errors: SIGNAL_ERRORS,
    },
    ({ params }) => Absence.signal(params.signalId),
  ),
  route(
    {
      method: "post",
      path: "/absence/signals/:signalId/seen",
      operationId: "markAbsenceSignalSeen",
      summary: "Markeer een signaal als gezien, met wat u ermee doet",
      description: "Zet een nieuw signaal op gezien met een notitie. Komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      params: SignalIdParams,
      body: SeenBody,
      response: { status: 200, schema: SignalDetail, description: "Het signaal, gezien" },
      errors: SIGNAL_ERRORS,
      examples: { request: { note: "Gesprek met de leerling en ouders gepland op maandag." } },
    },
    ({ params, body }) => Absence.markSeen(params.signalId, body.note),
  ),
  route(
    {
      method: "post",
      path: "/absence/signals/:signalId/no-action",
      operationId: "markAbsenceSignalNoAction",
      summary: "Sluit een signaal af zonder actie, met de reden",
      description:
        "Er hoeft niets te gebeuren (bijvoorbeeld: het verzuim is verklaard). Het signaal gaat weer open als het patroon verergert. Komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      params: SignalIdParams,
      body: NoActionBody,
      response: { status: 200, schema: SignalDetail, description: "Het signaal, zonder actie afgesloten" },
      errors: SIGNAL_ERRORS,
      examples: { request: { reason: "Verzuim verklaard: ziekenhuisopname, ouders hebben gebeld." } },
    },
    ({ params, body }) => Absence.markNoAction(params.signalId, body.reason),
  ),
  route(
    {
      method: "get",
      path: "/absence/signals/:signalId/referral-draft",
      operationId: "getAbsenceReferralDraft",
      summary: "Een aanmelding vanuit een signaal: de leerling en het verzuimoverzicht, ingevuld",
      description:
        "Wat het aanmeldformulier van de regio krijgt als u de leerling vanuit dit signaal aanmeldt: de leerling, het verzuimoverzicht met de registraties en de soort verzuim. Aanmelden zelf gaat met POST /referrals. Komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      params: SignalIdParams,
      response: { status: 200, schema: ReferralDraft, description: "Het ingevulde begin van de aanmelding" },
      errors: SIGNAL_ERRORS,
    },
    ({ params }) => Absence.referralDraft(params.signalId),
  ),
  route(
    {
      method: "get",
      path: "/absence/counts",
      operationId: "listAbsenceSignalCounts",
      summary: "Aantallen open signalen per school en soort (coördinatoren)",
      description:
        'Voor coördinatoren: per school van uw regio\'s en per soort signaal het aantal open signalen (nieuw of gezien), nooit leerlingen. Onder de 5 staat "< 5". Komt in de toegangslog.',
      tag: TAG,
      roles: ["coordinator"],
      response: { status: 200, schema: Schema.Array(SignalCountRow), description: "De aantallen" },
      errors: [Access.Forbidden, Errors.ValidationError],
    },
    () => Absence.counts,
  ),
  route(
    {
      method: "get",
      path: "/absence/duo-meldingen",
      operationId: "listDuoMeldingen",
      summary: "De verzuimmeldingen die de school bij DUO moet doen",
      description:
        "Voor elk signaal meldplicht en luxe verzuim van uw school: wat de melding in het verzuimregister van DUO vraagt (leerlingnummer, periode, uren, soort), uiterlijk wanneer, of ze te laat is, en de status die de school bijhoudt. Deze installatie meldt niets aan DUO. Als spreadsheet: GET /absence/duo-meldingen.xlsx. Komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      response: { status: 200, schema: Schema.Array(DuoMeldingItem), description: "De meldingen" },
      errors: SCHOOL_ERRORS,
    },
    () => Absence.duoMeldingen,
  ),
  route(
    {
      method: "get",
      path: "/absence/duo-meldingen.xlsx",
      operationId: "exportDuoMeldingen",
      summary: "De DUO-meldingen van uw school als spreadsheet",
      description:
        "Dezelfde lijst als GET /absence/duo-meldingen, als .xlsx met Nederlandse kolomkoppen. Vastgelegd als export in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      response: { status: 200, file: XLSX, description: "Het .xlsx-bestand" },
      errors: SCHOOL_ERRORS,
    },
    () =>
      Effect.map(
        Absence.duoWorkbook,
        (file) =>
          new Response(new Uint8Array(file), {
            status: 200,
            headers: {
              "content-type": XLSX,
              "content-disposition": `attachment; filename="duo-meldingen-${LocalDate.todayInAmsterdam()}.xlsx"`,
              "cache-control": "no-store",
            },
          }),
      ),
  ),
  route(
    {
      method: "post",
      path: "/absence/duo-meldingen/:signalId/status",
      operationId: "setDuoMeldingStatus",
      summary: "Leg de status van een DUO-melding vast",
      description:
        "De status zoals DUO haar noemt (Geregistreerd, In behandeling, Afgesloten, Ter kennisgeving aangenomen, Ingetrokken), zoals de school haar bijhoudt. Alleen voor signalen meldplicht en luxe verzuim van uw school. Komt in de toegangslog.",
      tag: TAG,
      roles: Absence.SCHOOL_ABSENCE_ROLES,
      params: SignalIdParams,
      body: DuoStatusBody,
      response: { status: 200, schema: DuoMeldingItem, description: "De melding met haar nieuwe status" },
      errors: [...SIGNAL_ERRORS, Absence.NotReportable],
      examples: { request: { status: "Geregistreerd" } },
    },
    ({ params, body }) => Absence.setDuoStatus(params.signalId, body.status),
  ),
  route(
    {
      method: "get",
      path: "/cases/:caseId/absence",
      operationId: "getCaseAbsence",
      summary: "Het geïmporteerde verzuim van de leerling van een casus",
      description:
        "Als de casus uit een signaal is aangemeld: de registraties van de leerling uit de import van de school, de totalen, de signalen en sinds wanneer de leerling thuiszit. Anders linked: false en lege lijsten. Elke inzage komt in de toegangslog.",
      tag: "Casussen",
      roles: Access.CASE_ROLES,
      params: CaseIdParams,
      response: { status: 200, schema: CaseAbsence, description: "Het verzuim van de leerling" },
      errors: [
        Access.Forbidden,
        Access.NotFound,
        CaseStore.CaseNotFound,
        CaseStore.RegionNotPermitted,
        Errors.ValidationError,
      ],
    },
    ({ params }) => Absence.caseAbsence(params.caseId),
  ),
]
