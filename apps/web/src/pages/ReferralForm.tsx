/**
 * The referral form: the fields every region asks (the domain's `ReferralSubmission`), the consent
 * questions with the region's consent rule, and the region's own fields rendered from the JSON
 * Schema its plug-in publishes (`RegionReads.detail(...).referralForm.extensionSchema`: the same
 * schema the API serves at `/regions/{regionId}`). Labels, help texts, required fields and the
 * choices of a region's field come from that schema's `title`, `description`, `required` and
 * `enum` (or `anyOf` of titled constants); a region changes them in its plug-in, never here.
 *
 * Form field names are the submission's own paths (`pupil.birthDate`, `extension.hulpvraag`), so
 * the field paths of a `ValidationError` or a plug-in's refusal land next to their field.
 */
import { ConsentRequirement, Identifiers, LocalDate, Party, Referral } from "@verzuimregie/domain"
import type { Child } from "hono/jsx"
import {
  Alert,
  type Choice,
  ChoiceGroup,
  CsrfField,
  DateField,
  ErrorSummary,
  type FieldErrors,
  fieldId,
  SelectField,
  SubmitButton,
  TextArea,
  TextField,
} from "../Components.js"
import { H1, P } from "../Layout.js"

/** What the browser posted: one value per name, several for checkbox groups. */
export type FormValues = Readonly<Record<string, string | ReadonlyArray<string>>>

const one = (values: FormValues, name: string): string | undefined => {
  const raw = values[name]
  const value = (Array.isArray(raw) ? raw[0] : raw) as string | undefined
  const trimmed = value?.trim()
  return trimmed === undefined || trimmed === "" ? undefined : trimmed
}

const all = (values: FormValues, name: string): ReadonlyArray<string> => {
  const raw = values[name]
  if (raw === undefined) return []
  return (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === "string" && v !== "")
}

// ---------------------------------------------------------------------------------------------
// The region's fields, from its JSON Schema
// ---------------------------------------------------------------------------------------------

type Json = Readonly<Record<string, unknown>>

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A schema, or the definition its local `$ref` (`#/$defs/Name`) names: Effect names schemas with an identifier. */
const resolved = (root: unknown, schema: unknown): unknown => {
  if (!isObject(schema) || typeof schema.$ref !== "string" || !isObject(root)) return schema
  const name = /^#\/\$defs\/(.+)$/.exec(schema.$ref)?.[1]
  const definition = name === undefined || !isObject(root.$defs) ? undefined : root.$defs[name]
  return isObject(definition) ? { ...definition, ...schema, $ref: undefined } : schema
}

/** One field of the region's extension, as the form renders it. */
export interface ExtensionField {
  readonly key: string
  readonly name: string
  readonly label: string
  readonly description: string | undefined
  readonly required: boolean
  readonly kind: "boolean" | "choice" | "choices" | "text" | "longText" | "number"
  readonly options: ReadonlyArray<Choice>
}

/** `top-dossier` → `Top dossier`: the fallback label of a choice the schema gives no title. */
const labelOfValue = (value: string) => {
  const spaced = value.replace(/[-_]+/g, " ")
  return spaced.charAt(0).toUpperCase() + spaced.slice(1)
}

/** The choices of `enum: [...]`, or of `anyOf`/`oneOf` members that are one titled constant each. */
const choicesOf = (schema: Json): ReadonlyArray<Choice> | undefined => {
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => ({ value: String(value), label: labelOfValue(String(value)) }))
  const members = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : []
  if (members.length === 0) return undefined
  const choices: Array<Choice> = []
  for (const member of members) {
    if (!isObject(member)) return undefined
    const value =
      member.const !== undefined
        ? member.const
        : Array.isArray(member.enum) && member.enum.length === 1
          ? member.enum[0]
          : undefined
    if (value === undefined) return undefined
    choices.push({
      value: String(value),
      label: typeof member.title === "string" ? member.title : labelOfValue(String(value)),
    })
  }
  return choices
}

/**
 * The fields of a region's extension schema, in the schema's order. A field of a kind the form
 * cannot show (a nested object) is left out; the plug-in's conformance suite keeps the sample
 * plug-ins to the kinds below.
 */
export const extensionFields = (root: unknown): ReadonlyArray<ExtensionField> => {
  const schema = resolved(root, root)
  if (!isObject(schema) || !isObject(schema.properties)) return []
  const required = Array.isArray(schema.required) ? schema.required.map(String) : []
  const fields: Array<ExtensionField> = []
  for (const [key, found] of Object.entries(schema.properties)) {
    const property = resolved(root, found)
    if (!isObject(property)) continue
    const base = {
      key,
      name: `extension.${key}`,
      label: typeof property.title === "string" ? property.title : labelOfValue(key),
      description: typeof property.description === "string" ? property.description : undefined,
      required: required.includes(key),
    }
    const choices = choicesOf(property)
    if (choices !== undefined) {
      fields.push({ ...base, kind: "choice", options: choices })
    } else if (property.type === "boolean") {
      fields.push({
        ...base,
        kind: "boolean",
        options: [
          { value: "ja", label: "Ja" },
          { value: "nee", label: "Nee" },
        ],
      })
    } else if (property.type === "array" && isObject(property.items)) {
      const itemChoices = choicesOf(property.items)
      if (itemChoices !== undefined) fields.push({ ...base, kind: "choices", options: itemChoices })
    } else if (property.type === "string") {
      const long = typeof property.maxLength !== "number" || property.maxLength > 200
      fields.push({ ...base, kind: long ? "longText" : "text", options: [] })
    } else if (property.type === "number" || property.type === "integer") {
      fields.push({ ...base, kind: "number", options: [] })
    }
  }
  return fields
}

/** The extension object from the posted form; what is left empty is left out (the schema says if it may be). */
const extensionOf = (fields: ReadonlyArray<ExtensionField>, values: FormValues) => {
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.kind === "choices") {
      out[field.key] = all(values, field.name)
      continue
    }
    const value = one(values, field.name)
    if (value === undefined) continue
    if (field.kind === "boolean") out[field.key] = value === "ja" ? true : value === "nee" ? false : value
    else if (field.kind === "number") out[field.key] = Number.isNaN(Number(value)) ? value : Number(value)
    else out[field.key] = value
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Dutch labels of the domain's choices
// ---------------------------------------------------------------------------------------------

const REASON_LABELS: Readonly<Record<Referral.ReferralReason, string>> = {
  "ongeoorloofd-verzuim": "Ongeoorloofd verzuim",
  "grijs-verzuim": "Grijs verzuim (verklaard, maar het patroon baart zorgen)",
  "frequent-ziekteverzuim": "Vaak ziek gemeld",
  "langdurig-verzuim": "Langdurig verzuim",
  thuiszitten: "Thuiszitten",
  "te-laat-komen": "Vaak te laat",
  schorsing: "Schorsing",
  "psychische-klachten": "Psychische klachten",
  "lichamelijke-klachten": "Lichamelijke klachten",
  gezinsproblematiek: "Problemen in het gezin",
  pesten: "Pesten",
  onderwijsbehoefte: "Onderwijsbehoefte past niet bij de school",
  overig: "Anders",
}

const VERZUIM_KIND_HELP: Readonly<Record<Referral.VerzuimKind, string>> = {
  relatief: "ingeschreven, maar afwezig zonder geldige reden",
  grijs: "elke afwezigheid is verklaard, maar het patroon baart zorgen",
  ziekteverzuim: "vaak of lang ziek gemeld",
  luxe: "vakantie buiten de schoolvakanties zonder verlof",
  langdurig: "een maand of langer thuis",
  absoluut: "leerplichtig en nergens ingeschreven",
}

const VERZUIM_KINDS: ReadonlyArray<Referral.VerzuimKind> = [
  "relatief",
  "grijs",
  "ziekteverzuim",
  "luxe",
  "langdurig",
  "absoluut",
]

const LEVELS: ReadonlyArray<Choice> = [
  { value: "PO", label: "Primair onderwijs (PO)" },
  { value: "SO", label: "Speciaal onderwijs (SO)" },
  { value: "VO", label: "Voortgezet onderwijs (VO)" },
  { value: "VSO", label: "Voortgezet speciaal onderwijs (VSO)" },
  { value: "MBO", label: "Middelbaar beroepsonderwijs (MBO)" },
]

const RELATIONS: ReadonlyArray<Choice> = [
  { value: "moeder", label: "Moeder" },
  { value: "vader", label: "Vader" },
  { value: "ouder", label: "Ouder" },
  { value: "voogd", label: "Voogd" },
  { value: "pleegouder", label: "Pleegouder" },
  { value: "verzorger", label: "Verzorger" },
]

const METHODS: ReadonlyArray<Choice> = [
  { value: "schriftelijk", label: "Schriftelijk" },
  { value: "digitaal", label: "Digitaal" },
  { value: "mondeling", label: "Mondeling" },
]

const YES_NO: ReadonlyArray<Choice> = [
  { value: "ja", label: "Ja" },
  { value: "nee", label: "Nee" },
]

const PARENT_SLOTS = [0, 1] as const
const CONSENT_SUBJECTS = ["ouders", "leerling"] as const

// ---------------------------------------------------------------------------------------------
// Form → submission, and error paths → form fields
// ---------------------------------------------------------------------------------------------

/** What the form needs of the region: its id and name, its consent rule and its own fields. */
export interface RegionForm {
  readonly regionId: string
  readonly regionName: string
  readonly formTitle: string | undefined
  readonly verzuimKinds: ReadonlyArray<Referral.VerzuimKind> | null
  readonly consentPolicy: ConsentRequirement.ConsentPolicy
  readonly consentAlwaysRecorded: boolean
  readonly fields: ReadonlyArray<ExtensionField>
  /** The professional roles the region takes referrals from (the plug-in's `referrerRoles`). */
  readonly referrerRoles?: ReadonlyArray<Party.PartyRole> | undefined
}

/**
 * The pupil's school as the form asks it (`Referrals.schools`): a school refers its own pupils, so
 * its own organisation is the school (`own`); anyone else (a leerplichtambtenaar, JGZ) chooses one
 * of the schools the installation knows. The enrolment names a school by its organisation id
 * (`Pupil.Enrolment`), so a school the installation does not know cannot be named.
 */
export interface SchoolOptions {
  readonly own: { readonly id: string; readonly name: string } | null
  readonly schools: ReadonlyArray<{
    readonly id: string
    readonly name: string
    readonly brin: string | null
  }>
}

/** The form field of the pupil's school: its name (own school) or the choice of a school. */
export const schoolFieldOf = (schools: SchoolOptions) =>
  schools.own === null ? "pupil.enrolment.schoolId" : "pupil.enrolment.schoolName"

/** Who refers: from the account, never typed. */
export interface ReferrerAccount {
  readonly name: string
  readonly partyRole: Party.PartyRole
  readonly organisationId: string
}

const personNumberOf = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value.startsWith("10") && Identifiers.isValidOnderwijsnummer(value)
      ? { _tag: "onderwijsnummer", value }
      : { _tag: "bsn", value: value.replace(/\s+/g, "") }

const numberOrText = (value: string | undefined) =>
  value === undefined ? undefined : Number.isNaN(Number(value)) ? value : Number(value)

/**
 * The submission the form describes, still to be decoded (`Referral.ReferralSubmission`): the
 * empty fields left out, so the schema says which are required. `consentSlots` names, per entry
 * of `consent.consents`, whose consent it is (for mapping its errors back).
 */
export const submissionOf = (
  region: RegionForm,
  account: ReferrerAccount,
  values: FormValues,
  schools: SchoolOptions,
) => {
  const v = (name: string) => one(values, name)
  const chosenId = schools.own === null ? v("pupil.enrolment.schoolId") : undefined
  // Only a school of the list: its name is the organisation's, never what a crafted post says.
  const chosen = chosenId === undefined ? undefined : schools.schools.find((s) => s.id === chosenId)
  const school =
    schools.own !== null
      ? { id: schools.own.id, name: v("pupil.enrolment.schoolName") }
      : { id: chosenId, name: chosen?.name }
  const level = v("pupil.enrolment.level")
  const grade = v("pupil.enrolment.grade")
  const parents = PARENT_SLOTS.flatMap((slot) => {
    const p = (field: string) => v(`parents.${slot}.${field}`)
    if (
      [p("name"), p("relation"), p("hasParentalAuthority"), p("phone"), p("email")].every(
        (x) => x === undefined,
      )
    )
      return []
    const authority = p("hasParentalAuthority")
    return [
      {
        name: p("name"),
        relation: p("relation"),
        hasParentalAuthority: authority === "ja" ? true : authority === "nee" ? false : undefined,
        email: p("email"),
        phone: p("phone"),
      },
    ]
  })
  const consentSlots: Array<(typeof CONSENT_SUBJECTS)[number]> = []
  const consents = CONSENT_SUBJECTS.flatMap((subject) => {
    const c = (field: string) => v(`toestemming.${subject}.${field}`)
    // A consent counts when its date is filled in; the other fields without a date are an error.
    if (c("givenOn") === undefined && c("method") === undefined && c("givenBy") === undefined) return []
    consentSlots.push(subject)
    return [
      {
        subject,
        givenBy: c("givenBy") ?? subject,
        givenOn: c("givenOn"),
        purposes: ["aanmelding"],
        method: c("method"),
      },
    ]
  })
  const submission = {
    regionId: region.regionId,
    referrer: {
      role: account.partyRole,
      name: account.name,
      organisationId: account.organisationId,
      email: v("referrer.email"),
      phone: v("referrer.phone"),
    },
    pupil: {
      name: {
        givenName: v("pupil.name.givenName"),
        prefix: v("pupil.name.prefix"),
        familyName: v("pupil.name.familyName"),
      },
      birthDate: v("pupil.birthDate"),
      enrolment:
        (schools.own === null ? chosenId : school.name) === undefined && level === undefined
          ? undefined
          : {
              // A school's own organisation, or the school chosen from the installation's list;
              // an id not on that list has no name, so the schema refuses it at the field.
              schoolId: school.id,
              schoolName: school.name,
              level,
              grade: numberOrText(grade),
            },
      personNumber: personNumberOf(v("pupil.personNumber")),
    },
    parents,
    reasons: all(values, "reasons"),
    verzuimKind: v("verzuimKind"),
    absence: {
      since: v("absence.since"),
      unauthorisedHoursLast4Weeks: numberOrText(v("absence.unauthorisedHoursLast4Weeks")),
      sickReportsLast12Weeks: numberOrText(v("absence.sickReportsLast12Weeks")),
      description: v("absence.description"),
    },
    consent: { consents, parentsInformedOn: v("consent.parentsInformedOn") },
    situation: v("situation"),
    helpAlreadyTried: v("helpAlreadyTried"),
    extension: extensionOf(region.fields, values),
  }
  // Dropping the `undefined`s: an optional field is absent, not present and empty.
  return { submission: JSON.parse(JSON.stringify(submission)) as unknown, consentSlots }
}

/** The names of every field the form shows, for mapping error paths to them. */
const fieldNames = (region: RegionForm): ReadonlyArray<string> => [
  "pupil.name.givenName",
  "pupil.name.prefix",
  "pupil.name.familyName",
  "pupil.birthDate",
  "pupil.personNumber",
  "pupil.enrolment.schoolId",
  "pupil.enrolment.schoolName",
  "pupil.enrolment.level",
  "pupil.enrolment.grade",
  ...PARENT_SLOTS.flatMap((slot) =>
    ["name", "relation", "hasParentalAuthority", "phone", "email"].map((f) => `parents.${slot}.${f}`),
  ),
  "reasons",
  "verzuimKind",
  "absence.since",
  "absence.unauthorisedHoursLast4Weeks",
  "absence.sickReportsLast12Weeks",
  "absence.description",
  "situation",
  "helpAlreadyTried",
  ...CONSENT_SUBJECTS.flatMap((s) => ["givenBy", "givenOn", "method"].map((f) => `toestemming.${s}.${f}`)),
  "consent.parentsInformedOn",
  ...region.fields.map((f) => f.name),
  "referrer.email",
  "referrer.phone",
]

/** The consent questions as one group: where the consent refusals of the plug-in are shown. */
export const CONSENT_GROUP = "toestemming"
const PARENTS_GROUP = "ouders"

/** Effect's "verwacht X; ontvangen: Y" without echoing the input back (it is in the field). */
const friendly = (message: string) => {
  const expected = /^verwacht (.+?); ontvangen: /s.exec(message)
  return expected === null ? message : `verwacht ${expected[1]}`
}

/**
 * The form field of an issue's path (`parents[0].name` → `parents.0.name`,
 * `consent.consents[1].givenOn` → `toestemming.leerling.givenOn`), or undefined when the issue is
 * about the referral as a whole.
 */
export const fieldOfPath = (
  region: RegionForm,
  consentSlots: ReadonlyArray<string>,
  path: string,
): string | undefined => {
  const dotted = path.replace(/\[(\d+)\]/g, ".$1")
  const consent = /^consent\.consents\.(\d+)(?:\.(\w+))?/.exec(dotted)
  if (consent !== null) {
    const subject = consentSlots[Number(consent[1])]
    if (subject === undefined) return CONSENT_GROUP
    const field = consent[2] === "givenBy" || consent[2] === "method" ? consent[2] : "givenOn"
    return `toestemming.${subject}.${field}`
  }
  if (dotted === "consent" || dotted === "consent.consents") return CONSENT_GROUP
  if (dotted === "parents") return PARENTS_GROUP
  if (dotted === "pupil.enrolment") return "pupil.enrolment.schoolName"
  const names = fieldNames(region)
  return names
    .filter((name) => dotted === name || dotted.startsWith(`${name}.`))
    .sort((a, b) => b.length - a.length)[0]
}

/** Issues as errors by form field (several on one field joined), and the rest as general messages. */
export const errorsOf = (
  region: RegionForm,
  consentSlots: ReadonlyArray<string>,
  issues: ReadonlyArray<{ readonly path: string; readonly message: string }>,
  /** The field the pupil's school is asked in (`schoolFieldOf`). */
  schoolField = "pupil.enrolment.schoolName",
): { readonly fields: FieldErrors; readonly general: ReadonlyArray<string> } => {
  const fields: Record<string, string> = {}
  const general: Array<string> = []
  for (const issue of issues) {
    const found = fieldOfPath(region, consentSlots, issue.path)
    const field = found === "pupil.enrolment.schoolName" ? schoolField : found
    const message = friendly(issue.message)
    if (field === undefined) general.push(message)
    else if (fields[field] === undefined) fields[field] = message
    // Two paths may land on one field (the school's id and name): each message once.
    else if (!fields[field].split("; ").includes(message)) fields[field] = `${fields[field]}; ${message}`
  }
  return { fields, general }
}

/** The label of each field, for the error summary ("Geboortedatum: is verplicht"). */
export const labelsOf = (region: RegionForm): Readonly<Record<string, string>> => ({
  "pupil.name.givenName": "Voornaam",
  "pupil.name.prefix": "Tussenvoegsel",
  "pupil.name.familyName": "Achternaam",
  "pupil.birthDate": "Geboortedatum",
  "pupil.personNumber": "BSN of onderwijsnummer",
  "pupil.enrolment.schoolName": "School",
  "pupil.enrolment.schoolId": "School",
  "pupil.enrolment.level": "Onderwijssoort",
  "pupil.enrolment.grade": "Groep of leerjaar",
  ...Object.fromEntries(
    PARENT_SLOTS.flatMap((slot) => [
      [`parents.${slot}.name`, `Naam ouder ${slot + 1}`],
      [`parents.${slot}.relation`, `Relatie ouder ${slot + 1}`],
      [`parents.${slot}.hasParentalAuthority`, `Gezag ouder ${slot + 1}`],
      [`parents.${slot}.phone`, `Telefoon ouder ${slot + 1}`],
      [`parents.${slot}.email`, `E-mail ouder ${slot + 1}`],
    ]),
  ),
  [PARENTS_GROUP]: "Ouders",
  reasons: "Reden van aanmelding",
  verzuimKind: "Soort verzuim",
  "absence.since": "Verzuim sinds",
  "absence.unauthorisedHoursLast4Weeks": "Uren ongeoorloofd afwezig",
  "absence.sickReportsLast12Weeks": "Ziekmeldingen",
  "absence.description": "Beschrijving van het verzuim",
  situation: "Situatie",
  helpAlreadyTried: "Hulp die al is geprobeerd",
  [CONSENT_GROUP]: "Toestemming",
  "toestemming.ouders.givenBy": "Toestemming ouders: gegeven door",
  "toestemming.ouders.givenOn": "Toestemming ouders: datum",
  "toestemming.ouders.method": "Toestemming ouders: hoe",
  "toestemming.leerling.givenBy": "Toestemming leerling: gegeven door",
  "toestemming.leerling.givenOn": "Toestemming leerling: datum",
  "toestemming.leerling.method": "Toestemming leerling: hoe",
  "consent.parentsInformedOn": "Ouders geïnformeerd op",
  "referrer.email": "Uw e-mailadres",
  "referrer.phone": "Uw telefoonnummer",
  ...Object.fromEntries(region.fields.map((f) => [f.name, f.label])),
})

// ---------------------------------------------------------------------------------------------
// The consent rule in words
// ---------------------------------------------------------------------------------------------

/** Which consent the region's rule asks at which age, in Dutch. */
const ConsentRule = (props: { readonly region: RegionForm }) => {
  const { pupilDecidesFromAge, jointConsentFromAge } = ConsentRequirement.defaults
  return (
    <>
      {props.region.consentPolicy === "referral" ? (
        <ul class="utrecht-unordered-list">
          <li>
            Leerling jonger dan {pupilDecidesFromAge} jaar: de <strong>ouders</strong> geven toestemming.
          </li>
          <li>
            Leerling van {pupilDecidesFromAge} jaar of ouder: de <strong>leerling</strong> geeft zelf
            toestemming en de ouders worden <strong>geïnformeerd</strong> (hun toestemming is dan niet nodig).
          </li>
        </ul>
      ) : (
        <ul class="utrecht-unordered-list">
          <li>
            Jonger dan {jointConsentFromAge} jaar: de <strong>ouders</strong> geven toestemming.
          </li>
          <li>
            Van {jointConsentFromAge} tot {pupilDecidesFromAge} jaar: de{" "}
            <strong>ouders én de leerling</strong> geven toestemming.
          </li>
          <li>
            Vanaf {pupilDecidesFromAge} jaar: de <strong>leerling</strong> geeft zelf toestemming.
          </li>
        </ul>
      )}
      {props.region.consentAlwaysRecorded ? (
        <P>
          In deze regio wordt bij elke aanmelding een toestemming vastgelegd, ook waar de leeftijd er geen
          vraagt.
        </P>
      ) : null}
    </>
  )
}

const subjectWords: Readonly<Record<ConsentRequirement.ConsentParty, string>> = {
  ouders: "de ouders",
  leerling: "de leerling",
}

/** Once a valid birth date was entered: which of the questions apply to this pupil, today. */
const ConsentForThisPupil = (props: {
  readonly region: RegionForm
  readonly birthDate: string | undefined
  readonly today: LocalDate.LocalDate
}) => {
  const birthDate = props.birthDate
  if (birthDate === undefined || !LocalDate.isLocalDate(birthDate) || birthDate > props.today) return null
  const requirement = ConsentRequirement.consentRequirement(
    birthDate,
    props.today,
    props.region.consentPolicy,
  )
  const who = requirement.mustConsent.map((p) => subjectWords[p]).join(" en ")
  return (
    <div class="utrecht-alert utrecht-alert--info" role="status">
      <p class="utrecht-paragraph">
        Deze leerling is vandaag {requirement.age} jaar: toestemming van {who} is nodig
        {requirement.parentsMustBeInformed ? ", en de ouders moeten geïnformeerd zijn" : ""}.
      </p>
    </div>
  )
}

// ---------------------------------------------------------------------------------------------
// The form
// ---------------------------------------------------------------------------------------------

const ExtensionInput = (props: {
  readonly field: ExtensionField
  readonly values: FormValues
  readonly errors: FieldErrors
}) => {
  const { field, values, errors } = props
  const common = {
    name: field.name,
    label: field.label,
    description: field.description,
    required: field.required,
    error: errors[field.name],
  }
  switch (field.kind) {
    case "boolean":
    case "choice": {
      const chosen = one(values, field.name)
      // A required choice with one option (Westland's gemeente) is that option.
      const preset =
        chosen ?? (field.required && field.options.length === 1 ? field.options[0]?.value : undefined)
      return field.options.length > 5 ? (
        <SelectField {...common} options={field.options} value={preset} placeholder="Kies …" />
      ) : (
        <ChoiceGroup
          {...common}
          type="radio"
          options={field.options}
          values={preset === undefined ? [] : [preset]}
        />
      )
    }
    case "choices":
      return (
        <ChoiceGroup {...common} type="checkbox" options={field.options} values={all(values, field.name)} />
      )
    case "longText":
      return <TextArea {...common} value={one(values, field.name)} maxlength={4000} />
    case "number":
      return <TextField {...common} value={one(values, field.name)} inputmode="numeric" />
    default:
      return <TextField {...common} value={one(values, field.name)} maxlength={200} />
  }
}

const Section = (props: { readonly id: string; readonly title: string; readonly children?: Child }) => (
  <section class="vr-form-section" aria-labelledby={props.id}>
    <h2 class="utrecht-heading-2" id={props.id}>
      {props.title}
    </h2>
    {props.children}
  </section>
)

export interface ReferralFormProps {
  readonly region: RegionForm
  readonly account: ReferrerAccount
  readonly csrfToken: string
  readonly values: FormValues
  readonly errors: FieldErrors
  readonly general: ReadonlyArray<string>
  /** The heading of the error summary: the refusal's title when the region refused. */
  readonly errorTitle?: string | undefined
  readonly today: LocalDate.LocalDate
  readonly severalRegions: boolean
  readonly schools: SchoolOptions
  /** A referral from a school's absence signal: its id goes with the form, and a line says so. */
  readonly fromSignal?: { readonly id: string } | undefined
}

export const ReferralFormPage = (props: ReferralFormProps) => {
  const { region, values, errors } = props
  const v = (name: string) => one(values, name)
  const kinds = VERZUIM_KINDS.filter((k) => region.verzuimKinds === null || region.verzuimKinds.includes(k))
  const text = (name: string, label: string, extra: Record<string, unknown> = {}) => (
    <TextField name={name} label={label} value={v(name)} error={errors[name]} maxlength={200} {...extra} />
  )
  return (
    <>
      <H1>Aanmelden bij {region.regionName}</H1>
      {props.severalRegions ? (
        <P>
          <a class="utrecht-link" href="/aanmeldingen/nieuw">
            Andere regio kiezen
          </a>
        </P>
      ) : null}
      {region.referrerRoles === undefined || region.referrerRoles.includes(props.account.partyRole) ? null : (
        // Said before the form is filled in; the region still decides on submit.
        <Alert type="warning">
          <p class="utrecht-paragraph">
            {region.regionName} neemt geen aanmeldingen aan van een{" "}
            {Party.partyRoleInSentence(props.account.partyRole)}. Wel van:{" "}
            {region.referrerRoles.map(Party.partyRoleInSentence).join(", ")}.
          </p>
        </Alert>
      )}
      <ErrorSummary
        errors={errors}
        labels={labelsOf(region)}
        general={props.general}
        {...(props.errorTitle === undefined ? {} : { title: props.errorTitle })}
      />
      <P>
        Velden met „(niet verplicht)” mag u leeg laten. De gegevens van de leerling gaan alleen naar de regio;
        u ziet daarna de status van uw aanmelding, niet het dossier.
      </P>
      {props.fromSignal === undefined ? null : (
        <Alert type="info">
          <p class="utrecht-paragraph">
            Aanmelding vanuit een verzuimsignaal van uw school: de leerling en het verzuim zijn ingevuld uit
            de schooladministratie. Controleer ze en vul de rest aan. De verzuimregistraties van de leerling
            gaan met de aanmelding mee.
          </p>
        </Alert>
      )}
      <form method="post" action="/aanmeldingen/nieuw" novalidate>
        <CsrfField token={props.csrfToken} />
        <input type="hidden" name="regionId" value={region.regionId} />
        {props.fromSignal === undefined ? null : (
          <input type="hidden" name="signaal" value={props.fromSignal.id} />
        )}

        <Section id="kop-leerling" title="Leerling">
          {text("pupil.name.givenName", "Voornaam", { required: true, autocomplete: "off" })}
          {text("pupil.name.prefix", "Tussenvoegsel", { description: "Bijvoorbeeld: van, de, van der." })}
          {text("pupil.name.familyName", "Achternaam", { required: true })}
          <DateField
            name="pupil.birthDate"
            label="Geboortedatum"
            required
            value={v("pupil.birthDate")}
            error={errors["pupil.birthDate"]}
            description="De leeftijd bepaalt wie toestemming geeft."
          />
          {text("pupil.personNumber", "BSN of onderwijsnummer", {
            description: "9 cijfers. Alleen als de regio het nodig heeft om de leerling te vinden.",
            inputmode: "numeric",
          })}
          {props.schools.own !== null ? (
            text("pupil.enrolment.schoolName", "School", {
              description: "De school waar de leerling staat ingeschreven (uw eigen school).",
              // Their own school's name until the person changes it.
              ...(values["pupil.enrolment.schoolName"] === undefined
                ? { value: props.schools.own.name }
                : {}),
            })
          ) : (
            <SelectField
              name="pupil.enrolment.schoolId"
              label="School"
              description="De school waar de leerling staat ingeschreven. Staat de school er niet bij, laat school en onderwijssoort dan leeg en noem de school bij Situatie."
              options={props.schools.schools.map((school) => ({
                value: school.id,
                label: school.brin === null ? school.name : `${school.name} (${school.brin})`,
              }))}
              value={v("pupil.enrolment.schoolId")}
              error={errors["pupil.enrolment.schoolId"]}
              placeholder="Kies …"
            />
          )}
          <SelectField
            name="pupil.enrolment.level"
            label="Onderwijssoort"
            options={LEVELS}
            value={v("pupil.enrolment.level")}
            error={errors["pupil.enrolment.level"]}
            placeholder="Kies …"
          />
          {text("pupil.enrolment.grade", "Groep of leerjaar", {
            description: "Groep 1–8 in het primair onderwijs, leerjaar 1–6 in het voortgezet onderwijs.",
            inputmode: "numeric",
          })}
        </Section>

        <Section id="kop-ouders" title="Ouders of verzorgers">
          {errors[PARENTS_GROUP] === undefined ? null : (
            <p class="utrecht-form-field-error-message" id={fieldId(PARENTS_GROUP)}>
              {errors[PARENTS_GROUP]}
            </p>
          )}
          {PARENT_SLOTS.map((slot) => {
            const name = (field: string) => `parents.${slot}.${field}`
            return (
              <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset vr-group">
                <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
                  {slot === 0 ? "Ouder of verzorger 1" : "Ouder of verzorger 2 (niet verplicht)"}
                </legend>
                {text(name("name"), "Naam")}
                <SelectField
                  name={name("relation")}
                  label="Relatie tot de leerling"
                  options={RELATIONS}
                  value={v(name("relation"))}
                  error={errors[name("relation")]}
                  placeholder="Kies …"
                />
                <ChoiceGroup
                  name={name("hasParentalAuthority")}
                  label="Heeft ouderlijk gezag"
                  type="radio"
                  options={YES_NO}
                  values={
                    v(name("hasParentalAuthority")) === undefined
                      ? []
                      : [v(name("hasParentalAuthority")) as string]
                  }
                  error={errors[name("hasParentalAuthority")]}
                />
                {text(name("phone"), "Telefoonnummer", { type: "tel" })}
                {text(name("email"), "E-mailadres", { type: "email" })}
              </fieldset>
            )
          })}
        </Section>

        <Section id="kop-verzuim" title="Verzuim">
          <ChoiceGroup
            name="verzuimKind"
            label="Soort verzuim"
            type="radio"
            required
            options={kinds.map((k) => ({
              value: k,
              label: `${Referral.verzuimKindLabel[k]}: ${VERZUIM_KIND_HELP[k]}`,
            }))}
            values={v("verzuimKind") === undefined ? [] : [v("verzuimKind") as string]}
            error={errors.verzuimKind}
            description={
              region.verzuimKinds === null ? undefined : "De soorten verzuim die deze regio aanneemt."
            }
          />
          <ChoiceGroup
            name="reasons"
            label="Reden van aanmelding"
            type="checkbox"
            required
            description="Kies één of meer redenen."
            options={Object.entries(REASON_LABELS).map(([value, label]) => ({ value, label }))}
            values={all(values, "reasons")}
            error={errors.reasons}
          />
          <DateField
            name="absence.since"
            label="Verzuim sinds"
            value={v("absence.since")}
            error={errors["absence.since"]}
            description="De eerste dag van het verzuim, voor zover bekend."
            max={props.today}
          />
          {text(
            "absence.unauthorisedHoursLast4Weeks",
            "Uren ongeoorloofd afwezig in de laatste 4 schoolweken",
            {
              inputmode: "numeric",
            },
          )}
          {text("absence.sickReportsLast12Weeks", "Ziekmeldingen in de laatste 12 schoolweken", {
            inputmode: "numeric",
          })}
          <TextArea
            name="absence.description"
            label="Beschrijving van het verzuim"
            value={v("absence.description")}
            error={errors["absence.description"]}
            maxlength={4000}
          />
          <TextArea
            name="situation"
            label="Situatie"
            description="Wat speelt er volgens u? Schrijf alleen wat de regio nodig heeft."
            value={v("situation")}
            error={errors.situation}
            maxlength={4000}
          />
          <TextArea
            name="helpAlreadyTried"
            label="Hulp die al is geprobeerd"
            value={v("helpAlreadyTried")}
            error={errors.helpAlreadyTried}
            maxlength={4000}
          />
        </Section>

        <Section id="kop-toestemming" title="Toestemming">
          <div
            id={fieldId(CONSENT_GROUP)}
            class={`vr-consent${errors[CONSENT_GROUP] === undefined ? "" : " utrecht-form-field--invalid"}`}
            tabindex={-1}
          >
            <P>Wie toestemming geeft voor deze aanmelding hangt af van de leeftijd van de leerling:</P>
            <ConsentRule region={region} />
            <P>
              Vul in wat van toepassing is en laat de rest leeg. Een toestemming telt als de datum is
              ingevuld.
            </P>
            <ConsentForThisPupil region={region} birthDate={v("pupil.birthDate")} today={props.today} />
            {errors[CONSENT_GROUP] === undefined ? null : (
              <p class="utrecht-form-field-error-message">{errors[CONSENT_GROUP]}</p>
            )}
          </div>
          {CONSENT_SUBJECTS.map((subject) => {
            const name = (field: string) => `toestemming.${subject}.${field}`
            return (
              <fieldset class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset vr-group">
                <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
                  {subject === "ouders" ? "Toestemming van de ouders" : "Toestemming van de leerling"}
                </legend>
                <DateField
                  name={name("givenOn")}
                  label="Datum van de toestemming"
                  value={v(name("givenOn"))}
                  error={errors[name("givenOn")]}
                  max={props.today}
                  description={
                    subject === "ouders"
                      ? "Leeg laten als de ouders (nog) geen toestemming gaven."
                      : "Leeg laten als de leerling (nog) geen toestemming gaf."
                  }
                />
                {subject === "ouders"
                  ? text(name("givenBy"), "Gegeven door", {
                      description: "Bijvoorbeeld: moeder, vader, voogd.",
                    })
                  : null}
                <SelectField
                  name={name("method")}
                  label="Hoe gegeven"
                  options={METHODS}
                  value={v(name("method"))}
                  error={errors[name("method")]}
                  placeholder="Kies …"
                />
              </fieldset>
            )
          })}
          <DateField
            name="consent.parentsInformedOn"
            label="Ouders geïnformeerd op"
            value={v("consent.parentsInformedOn")}
            error={errors["consent.parentsInformedOn"]}
            max={props.today}
            description="Nodig als de leerling zelf toestemming geeft en de ouders niet: zij moeten dan wel weten van de aanmelding."
          />
        </Section>

        {region.fields.length === 0 ? null : (
          <Section id="kop-regio" title={region.formTitle ?? `Vragen van ${region.regionName}`}>
            {region.fields.map((field) => (
              <ExtensionInput field={field} values={values} errors={errors} />
            ))}
          </Section>
        )}

        <Section id="kop-aanmelder" title="Aanmelder">
          <P>
            U meldt aan als {props.account.name} ({Party.partyRoleLabel[props.account.partyRole]}). Naam, rol
            en organisatie komen uit uw account.
          </P>
          {text("referrer.email", "Uw e-mailadres", {
            type: "email",
            description: "Zodat de regio u kan bereiken.",
          })}
          {text("referrer.phone", "Uw telefoonnummer", { type: "tel" })}
        </Section>

        <SubmitButton>Aanmelding versturen</SubmitButton>
      </form>
    </>
  )
}

export const FORM_STYLES = `
.vr-form-section{margin-block:2rem}
.vr-group{margin-block:1rem 1.5rem;padding:1rem;border:1px solid var(--utrecht-color-grey-80,#ccc)}
.vr-consent{margin-block-end:1rem}
`
