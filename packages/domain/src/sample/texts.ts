/**
 * Dutch text templates for synthetic referrals and cases: situations, help already tried,
 * agreements with their actions, and the help catalogue. Invented; they name no real person.
 *
 * @since 0.1.0
 */
import type { PartyRole } from "../Party.js"
import type { ReferralReason, VerzuimKind } from "../Referral.js"
import type { SampleRegionId } from "./places.js"

export const situationTexts: Readonly<Record<VerzuimKind, ReadonlyArray<string>>> = {
  grijs: [
    "Leerling meldt zich vaak ziek op maandag en vrijdag; ouders melden steeds netjes af.",
    "Veel afspraken onder schooltijd en regelmatig te laat. Elk verzuim is verklaard, maar het patroon baart zorgen.",
    "Leerling trekt zich terug in de klas en klaagt over buikpijn op schooldagen.",
  ],
  relatief: [
    "Leerling spijbelt regelmatig de laatste uren; thuis is het onrustig.",
    "Ongeoorloofd afwezig bij toetsen; de mentor krijgt weinig contact met ouders.",
    "Leerling komt structureel te laat en verlaat de school tussen de lessen.",
  ],
  ziekteverzuim: [
    "Vaak kortdurend ziek gemeld met hoofdpijn en buikpijn.",
    "Sinds de zomer een reeks ziekmeldingen; ouders maken zich zorgen over de vermoeidheid.",
  ],
  luxe: [
    "Verlofaanvraag afgewezen; de leerling was de dagen voor de vakantie afwezig.",
    "Gezin vertrok een week eerder op vakantie zonder toestemming van de directeur.",
  ],
  langdurig: [
    "Leerling zit al maanden thuis; angstklachten maken schoolgang nu onmogelijk.",
    "Thuiszittend na een schorsing; er is nog geen passende plek gevonden.",
    "Na een lange ziekteperiode lukt de terugkeer naar school niet.",
  ],
  absoluut: [
    "Niet ingeschreven na een verhuizing; het gezin zoekt nog een school die past.",
    "Uitgeschreven zonder nieuwe inschrijving; de leerling is thuis.",
  ],
}

export const helpAlreadyTriedTexts: ReadonlyArray<string> = [
  "Gesprekken met mentor en coördinator passend onderwijs.",
  "Gesprek bij de jeugdverpleegkundige; ouders waren erbij.",
  "Aangepast rooster gedurende zes weken.",
  "Huisarts heeft doorverwezen naar de praktijkondersteuner jeugd.",
  "Preventief gesprek met de leerplichtambtenaar.",
  "Begeleiding door de interne begeleider en een time-out plek op school.",
]

export const absenceDescriptions: Readonly<Record<VerzuimKind, ReadonlyArray<string>>> = {
  grijs: ["Alle afwezigheid is gemeld en geoorloofd, maar keert telkens terug op dezelfde dagen."],
  relatief: ["Ongeoorloofd afwezig, vooral de laatste lesuren en op dagen met toetsen."],
  ziekteverzuim: ["Herhaald kortdurend ziek gemeld; de school heeft de meldingen geaccepteerd."],
  luxe: ["Afwezig zonder verlof rond een schoolvakantie."],
  langdurig: ["Sinds de genoemde datum niet of nauwelijks op school geweest."],
  absoluut: ["Niet ingeschreven op een school."],
}

export const reasonsByKind: Readonly<
  Record<VerzuimKind, { readonly main: ReferralReason; readonly extra: ReadonlyArray<ReferralReason> }>
> = {
  grijs: { main: "grijs-verzuim", extra: ["lichamelijke-klachten", "psychische-klachten", "te-laat-komen"] },
  relatief: { main: "ongeoorloofd-verzuim", extra: ["te-laat-komen", "gezinsproblematiek", "pesten"] },
  ziekteverzuim: { main: "frequent-ziekteverzuim", extra: ["lichamelijke-klachten", "psychische-klachten"] },
  luxe: { main: "ongeoorloofd-verzuim", extra: [] },
  langdurig: {
    main: "langdurig-verzuim",
    extra: ["thuiszitten", "psychische-klachten", "onderwijsbehoefte", "gezinsproblematiek"],
  },
  absoluut: { main: "thuiszitten", extra: ["onderwijsbehoefte", "gezinsproblematiek"] },
}

/** An agreement made in a meeting and the actions that follow from it. */
export interface AgreementTemplate {
  readonly description: string
  readonly parties: ReadonlyArray<PartyRole>
  readonly actions: ReadonlyArray<{ readonly description: string; readonly owner: PartyRole }>
}

export const agreementTemplates: ReadonlyArray<AgreementTemplate> = [
  {
    description: "Leerling start met een aangepast rooster van drie ochtenden per week, daarna opbouwen.",
    parties: ["leerling", "ouder", "mentor"],
    actions: [
      { description: "Aangepast rooster opstellen", owner: "mentor" },
      { description: "Rooster na vier weken evalueren", owner: "smw-verzuim" },
    ],
  },
  {
    description: "De jeugdverpleegkundige spreekt leerling en ouders over de klachten.",
    parties: ["jeugdverpleegkundige", "leerling", "ouder"],
    actions: [{ description: "Afspraak jeugdverpleegkundige plannen", owner: "jeugdverpleegkundige" }],
  },
  {
    description: "De school vraagt een toelaatbaarheidsverklaring (TLV) aan bij het samenwerkingsverband.",
    parties: ["coordinator-passend-onderwijs", "casemanager-swv", "ouder"],
    actions: [
      { description: "TLV-aanvraag indienen", owner: "coordinator-passend-onderwijs" },
      { description: "Passende plek verkennen", owner: "casemanager-swv" },
    ],
  },
  {
    description:
      "Ouders melden verzuim voortaan voor 8.30 uur bij de mentor; de mentor belt bij twijfel terug.",
    parties: ["ouder", "mentor"],
    actions: [{ description: "Afmeldafspraak met ouders vastleggen", owner: "mentor" }],
  },
  {
    description: "De regiehouder meldt de leerling aan voor passende hulp uit de catalogus.",
    parties: ["smw-verzuim", "ouder", "hulpverlener"],
    actions: [{ description: "Aanmelding hulpverlening versturen", owner: "smw-verzuim" }],
  },
  {
    description: "De leerplichtambtenaar voert een preventief gesprek met leerling en ouders.",
    parties: ["leerplichtambtenaar", "leerling", "ouder"],
    actions: [{ description: "Preventief gesprek leerplicht voeren", owner: "leerplichtambtenaar" }],
  },
  {
    description: "De jeugdarts beoordeelt de ziekmeldingen volgens M@ZL en adviseert de school.",
    parties: ["jeugdarts", "coordinator-passend-onderwijs", "ouder"],
    actions: [{ description: "Consult jeugdarts M@ZL", owner: "jeugdarts" }],
  },
]

export const meetingSummaries: ReadonlyArray<string> = [
  "Situatie in kaart gebracht; iedere partij heeft verteld wat al is geprobeerd.",
  "Afspraken gemaakt over schoolgang en hulp; volgende bespreking over zes weken.",
  "Met doorzettingsmacht besloten tot een tijdelijk onderwijs-zorgarrangement.",
]

/** One entry of a region's help catalogue: code, label and the youngest age it serves. */
export interface CatalogueEntry {
  readonly code: string
  readonly label: string
  readonly minAge: number
}

// Westland's catalogue (Schoolformaat, "Onze hulp"); Leidschendam-Voorburg works with the same organisation.
const schoolformaatCatalogue: ReadonlyArray<CatalogueEntry> = [
  { code: "ambulante-hulp-gezin", label: "Ambulante hulp in het gezin", minAge: 0 },
  { code: "jongerencoaching", label: "Jongerencoaching", minAge: 12 },
  { code: "vuhp", label: "Intensieve praktische hulp thuis (VUHP)", minAge: 0 },
  { code: "daghulp", label: "Daghulp", minAge: 4 },
  { code: "oj", label: "OJ: gedrag, angst, somberheid, eet- of lichamelijke klachten", minAge: 8 },
  { code: "ouderschap-blijft", label: "Ouderschap Blijft", minAge: 0 },
  { code: "diagnostiek-behandeling", label: "Diagnostiek en behandeling", minAge: 12 },
]

export const catalogues: Readonly<Record<SampleRegionId, ReadonlyArray<CatalogueEntry>>> = {
  "leidschendam-voorburg": schoolformaatCatalogue,
  westland: schoolformaatCatalogue,
  "amstelland-meerlanden": [
    { code: "verzuimcoaching", label: "Verzuimcoaching", minAge: 6 },
    { code: "ggz-jeugd", label: "GGZ-behandeling jeugd", minAge: 4 },
    { code: "onderwijs-zorgarrangement", label: "Onderwijs-zorgarrangement op maat", minAge: 4 },
    { code: "tlv-begeleiding", label: "Begeleiding bij de TLV-aanvraag", minAge: 4 },
    { code: "jongerencoaching", label: "Jongerencoaching", minAge: 12 },
  ],
}

export const contactSummaries: ReadonlyArray<string> = [
  "Kennisgemaakt en werkwijze uitgelegd.",
  "Stand van zaken besproken; afspraken lopen.",
  "Zorgen over de schoolgang gedeeld; vervolgafspraak gemaakt.",
]
