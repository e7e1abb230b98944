/**
 * The Dutch texts of every mail, as plain text and HTML. What goes in is limited to what a mail
 * may carry (`MailSafe`): case ids (random, meaningless outside verzuimregie), counts, dates of the
 * process, labels, registered names of professionals and schools, and links to the gateway. No
 * pupil names, BSNs or birth dates, and nothing typed into a case (which could hold them): a
 * template takes case data only as `MailSafe` values or as the summaries built from them.
 *
 * @since 0.1.0
 */
import type { Notifications } from "@verzuimregie/app"
import { Amsterdam, LangdurigVerzuim, type LocalDate, Party } from "@verzuimregie/domain"
import { Dutch, type Inspectie, type MailSafe, type StaffSummary } from "@verzuimregie/export-xlsx"
import { isoWeekKey } from "./Schedules.js"

export interface Rendered {
  readonly subject: string
  readonly text: string
  readonly html: string
}

export const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")

/**
 * The greeting for the moment a mail is made (Europe/Amsterdam): goedemorgen from 06:00,
 * goedemiddag from 12:00, goedenavond from 18:00 (and in the night, when a retried mail may go).
 */
export const greeting = (at: Date): string => {
  const { hour } = Amsterdam.wallClock(at)
  return hour >= 6 && hour < 12 ? "Goedemorgen," : hour >= 12 && hour < 18 ? "Goedemiddag," : "Goedenavond,"
}

const PRIVACY =
  "Dit bericht bevat bewust geen namen, BSN's of geboortedata. Casussen staan erin met hun casusnummer; wie bevoegd is, ziet de gegevens in verzuimregie. Stuur dit bericht niet door buiten uw organisatie."

const SIGNATURE = "Met vriendelijke groet,\nverzuimregie"

/** `week 10 (2 t/m 8 maart 2026)`, `februari 2026`, `1e kwartaal 2026`, or the dates. */
export const periodLabel = (period: StaffSummary.Period): string => {
  if (/^\d{4}-W\d{2}$/.test(period.key) && isoWeekKey(period.to) === period.key) {
    return `week ${Number(period.key.slice(6))} (${Dutch.dateRange(period.from, period.to)})`
  }
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period.key)
  if (quarter !== null) return `${quarter[2]}e kwartaal ${quarter[1]}`
  return Dutch.dateRange(period.from, period.to)
}

/**
 * One block of a mail body. A mail is one list of blocks, rendered once as plain text and once as
 * HTML, so the two bodies cannot say different things.
 *
 * - `paragraph`: text (line breaks kept); `tone` `note` for the privacy lines, `footnote` for
 *   the audit footer;
 * - `heading`: a short title, directly above the block it heads;
 * - `list`: items, one a line;
 * - `link`: an address; the text body shows the address itself, the HTML body the label. With
 *   `follows` it continues the paragraph before it (no blank line in the text body);
 * - `table`: label and value rows (`- label: value` in the text body).
 */
export type Block =
  | { readonly kind: "paragraph"; readonly text: string; readonly tone?: "note" | "footnote" }
  | { readonly kind: "heading"; readonly text: string }
  | { readonly kind: "list"; readonly items: ReadonlyArray<string> }
  | { readonly kind: "link"; readonly href: string; readonly label: string; readonly follows?: boolean }
  | { readonly kind: "table"; readonly rows: ReadonlyArray<readonly [string, string | number]> }

const paragraph = (text: string, tone?: "note" | "footnote"): Block =>
  tone === undefined ? { kind: "paragraph", text } : { kind: "paragraph", text, tone }

const textLines = (block: Block): ReadonlyArray<string> => {
  switch (block.kind) {
    case "paragraph":
      return [block.text]
    case "heading":
      return [`${block.text}:`]
    case "list":
      return block.items.map((item) => `- ${item}`)
    case "link":
      return [block.href]
    case "table":
      return block.rows.map(([k, v]) => `- ${k}: ${v}`)
  }
}

/** The plain-text body: blocks apart by a blank line, except a heading's block and a following link. */
export const renderText = (blocks: ReadonlyArray<Block>): string => {
  const lines: Array<string> = []
  blocks.forEach((block, i) => {
    const previous = blocks[i - 1]
    const joined = previous?.kind === "heading" || (block.kind === "link" && block.follows === true)
    if (i > 0 && !joined) lines.push("")
    lines.push(...textLines(block))
  })
  return `${lines.join("\n")}\n`
}

const TONE_STYLE = { note: "color:#555;font-size:12px", footnote: "color:#555;font-size:11px" } as const

const htmlOf = (block: Block): string => {
  switch (block.kind) {
    case "paragraph": {
      const text = escapeHtml(block.text).replace(/\n/g, "<br>")
      return block.tone === undefined ? `<p>${text}</p>` : `<p style="${TONE_STYLE[block.tone]}">${text}</p>`
    }
    case "heading":
      return `<p><strong>${escapeHtml(block.text)}</strong></p>`
    case "list":
      return `<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`
    case "link":
      return `<p><a href="${escapeHtml(block.href)}">${escapeHtml(block.label)}</a></p>`
    case "table":
      return `<table style="border-collapse:collapse">${block.rows
        .map(
          ([k, v]) =>
            `<tr><td style="padding:2px 12px 2px 0">${escapeHtml(k)}</td><td style="padding:2px 0;text-align:right"><strong>${escapeHtml(String(v))}</strong></td></tr>`,
        )
        .join("")}</table>`
  }
}

/** The HTML body: a whole document titled with the subject. */
export const renderHtml = (title: string, blocks: ReadonlyArray<Block>): string =>
  [
    "<!doctype html>",
    '<html lang="nl"><head><meta charset="utf-8"><title>',
    escapeHtml(title),
    '</title></head><body style="font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1a1a1a;max-width:720px">',
    ...blocks.map(htmlOf),
    "</body></html>",
  ].join("")

/** A mail from its subject and its one list of blocks. */
export const render = (subject: string, blocks: ReadonlyArray<Block>): Rendered => ({
  subject,
  text: renderText(blocks),
  html: renderHtml(subject, blocks),
})

/** The weekly (or daily, monthly, quarterly) summary for staff, with the workbook attached. */
export const staffSummary = (
  summary: StaffSummary.StaffSummary,
  options: {
    readonly regionUrl: string
    readonly attachment: string
    /** The audit chain's head when the mail was made: a copy outside the database (see `auditFooter`). */
    readonly auditHead?: { readonly seq: number; readonly hash: string }
    /** When the mail is made, for the greeting. */
    readonly at?: Date
  },
): Rendered => {
  const footer = options.auditHead === undefined ? [] : [auditFooter(options.auditHead)]
  const hello = greeting(options.at ?? new Date())
  const c = summary.counts
  const label = periodLabel(summary.period)
  const subject = `Overzicht verzuimregie ${summary.region.name}, ${label}`
  const figures: Array<readonly [string, number | string]> = [
    ["Nieuwe aanmeldingen", c.newReferrals],
    ["Open casussen", c.open],
    ["Acties over tijd", c.actionsOverdue],
    [`Acties uiterlijk ${Dutch.longDate(summary.weekEnd)}`, c.actionsDueThisWeek],
    ["Thuiszitterspact: waarschuwing", c.pactWarning],
    ["Thuiszitterspact: alarm (3 maanden bereikt)", c.pactAlarm],
    [`Thuiszitters 2a (${LangdurigVerzuim.categorieDuur["2a"]})`, c.thuiszitters["2a"]],
    [`Thuiszitters 2b (${LangdurigVerzuim.categorieDuur["2b"]})`, c.thuiszitters["2b"]],
    ["Absoluut verzuim", c.thuiszitters["1"]],
    ["Afgesloten", c.closed],
    ...(c.averageDaysToClose === undefined
      ? []
      : [["Gemiddelde duur afgesloten casussen (dagen)", c.averageDaysToClose] as const]),
  ]
  const byStatus = c.openByStatus.map((x) => [x.label, x.count] as const)
  const intro = `Hierbij het overzicht van verzuimregie voor ${summary.region.name} over ${label} (peildatum ${Dutch.longDate(summary.on)}).`
  return render(subject, [
    paragraph(hello),
    paragraph(intro),
    { kind: "table", rows: figures },
    ...(byStatus.length === 0
      ? []
      : [
          { kind: "heading", text: "Open casussen per status" } as const,
          { kind: "table", rows: byStatus } as const,
        ]),
    paragraph(
      `De lijsten per casus staan in de bijlage (${options.attachment}). Bekijk de casussen in verzuimregie:`,
    ),
    { kind: "link", href: options.regionUrl, label: options.regionUrl, follows: true },
    paragraph(PRIVACY, "note"),
    paragraph(SIGNATURE),
    ...footer.map((line) => paragraph(line, "footnote")),
  ])
}

/**
 * The footer line with the audit head: whoever keeps these mails holds copies of the head outside
 * the database, so a log cut short afterwards shows (`verify-audit --anchors`, docs/storage.md).
 */
export const auditFooter = (head: { readonly seq: number; readonly hash: string }): string =>
  `Controlegegevens toegangslog: ${head.seq} registraties, laatste hash ${head.hash}.`

/** The quarterly Inspectie overview (one or two workbooks attached), to the SWV's own staff. */
export const inspectieOverview = (
  overviews: ReadonlyArray<Inspectie.Overview>,
  options: {
    readonly regionName: string
    readonly quarter: string
    readonly regionUrl: string
    readonly attachments: ReadonlyArray<string>
    readonly at?: Date
  },
): Rendered => {
  const hello = greeting(options.at ?? new Date())
  const quarter = /^(\d{4})-Q([1-4])$/.exec(options.quarter)
  const label = quarter === null ? options.quarter : `${quarter[2]}e kwartaal ${quarter[1]}`
  const subject = `Thuiszittersoverzicht ${options.regionName}, ${label}`
  const lines = overviews.map((o) => ({
    title: `Schooljaar ${o.schoolYear.label}, peildatum ${Dutch.longDate(o.peildatum)}`,
    rows: [
      [`Categorie 1 (${LangdurigVerzuim.categorieLabel["1"]})`, o.counts["1"]],
      [`Categorie 2a (${LangdurigVerzuim.categorieDuur["2a"]})`, o.counts["2a"]],
      [`Categorie 2b (${LangdurigVerzuim.categorieDuur["2b"]})`, o.counts["2b"]],
      ["Vrijstelling 5 onder a", o.counts["5a"]],
      ["Rijen in totaal", o.rows.length],
    ] as const,
  }))
  const intro = `Hierbij het thuiszittersoverzicht van ${options.regionName} over het ${label}, voor de Inspectie van het Onderwijs. Het overzicht is cumulatief over het schooljaar: elke leerling die dit schooljaar thuiszitter was of een vrijstelling 5 onder a had, staat erin; een leerling die weer naar school gaat, houdt zijn regel met de status en de datum.`
  const two =
    overviews.length > 1
      ? "Dit kwartaal loopt over het eind van een schooljaar: de bijlagen zijn het slotoverzicht van het afgelopen schooljaar (peildatum 31 juli) en het eerste overzicht van het nieuwe."
      : undefined
  const anonymous =
    "Het overzicht is geanonimiseerd: geen namen, BSN's of geboortedata. Elke leerling heeft een vast pseudoniem dat alleen met de geheime sleutel van het samenwerkingsverband te maken is; de leeftijd staat in klassen. Controleer het bestand voordat u het aan de Inspectie levert."
  const attachments = `Bijlage${options.attachments.length > 1 ? "n" : ""}: ${options.attachments.join(", ")}`
  return render(subject, [
    paragraph(hello),
    paragraph(intro),
    ...(two === undefined ? [] : [paragraph(two)]),
    ...lines.flatMap(
      (l): ReadonlyArray<Block> => [
        { kind: "heading", text: l.title },
        { kind: "table", rows: l.rows },
      ],
    ),
    paragraph(attachments),
    paragraph(anonymous, "note"),
    paragraph("Meer in verzuimregie:"),
    { kind: "link", href: options.regionUrl, label: options.regionUrl, follows: true },
    paragraph(SIGNATURE),
  ])
}

/**
 * To the referrer: regie over their referral went to another professional, named by their
 * registered account when the handover links one, otherwise by role (never the typed name).
 */
export const handoverNotice = (input: {
  readonly caseId: MailSafe.Safe
  readonly regionName: MailSafe.Safe
  readonly referredOn: LocalDate.LocalDate
  readonly handoverOn: LocalDate.LocalDate
  readonly to: { readonly account: MailSafe.Safe | undefined; readonly role: Party.PartyRole }
  readonly caseUrl: string
}): Rendered => {
  const subject = `Uw aanmelding ${input.caseId}: regie overgedragen`
  const role = Party.partyRoleLabel[input.to.role].toLowerCase()
  const who = input.to.account === undefined ? `de ${role}` : `${input.to.account} (${role})`
  const main = `De regie over de casus die u op ${Dutch.longDate(input.referredOn)} aanmeldde bij verzuimregie ${input.regionName} (casusnummer ${input.caseId}), is op ${Dutch.longDate(input.handoverOn)} overgedragen aan ${who}. Vanaf nu is dat uw aanspreekpunt voor deze leerling.`
  const more = "De gegevens van de casus en de overdracht vindt u in verzuimregie:"
  const privacy =
    "Om privacyredenen staan in dit bericht geen gegevens van de leerling; u herkent de casus aan het casusnummer."
  return render(subject, [
    paragraph("Geachte aanmelder,"),
    paragraph(main),
    paragraph(more),
    { kind: "link", href: input.caseUrl, label: input.caseUrl, follows: true },
    paragraph(privacy, "note"),
    paragraph(SIGNATURE),
  ])
}

/**
 * To a person, at their own address: the one-time link that shows their API token. No name, no
 * case data; the link is the only secret, and it works once, for a short time.
 */
export const signInLink = (input: {
  readonly url: string
  readonly expiresAt: Date
  readonly validMinutes: number
}): Rendered => {
  const subject = "Uw toegang tot verzuimregie"
  const until = Dutch.dateTime(input.expiresAt)
  const main =
    "Voor u is een account in verzuimregie aangemaakt, of u heeft een nieuw API-token nodig. Via de link hieronder ziet u uw persoonlijke API-token, één keer. Bewaar het veilig en deel het met niemand: wie het token heeft, werkt in verzuimregie onder uw naam."
  const validity = `De link werkt één keer en is geldig tot ${until} (${input.validMinutes} minuten na verzending). Daarna vraagt u uw beheerder om een nieuwe link.`
  const unexpected =
    "Heeft u dit niet verwacht? Open de link dan niet en meld het aan de beheerder van verzuimregie in uw organisatie."
  return render(subject, [
    paragraph("Goedendag,"),
    paragraph(main),
    { kind: "link", href: input.url, label: "Toon mijn API-token" },
    paragraph(validity),
    paragraph(unexpected, "note"),
    paragraph(SIGNATURE),
  ])
}

/**
 * To a person, at the address on their account: the one-time link that signs them in to the web
 * app. No name, no case data; the link is the only secret, works once and for a short time.
 */
export const webSignInLink = (input: {
  readonly url: string
  readonly expiresAt: Date
  readonly validMinutes: number
}): Rendered => {
  const subject = "Uw inloglink voor verzuimregie"
  const until = Dutch.dateTime(input.expiresAt)
  const main =
    "U vroeg om in te loggen bij verzuimregie met een link per e-mail. Open de link hieronder en kies op die pagina 'Inloggen'. De link is persoonlijk: stuur deze e-mail niet door, want wie de link gebruikt, is ingelogd onder uw naam."
  const validity = `De link werkt één keer en is geldig tot ${until} (${input.validMinutes} minuten na verzending). Daarna vraagt u op de inlogpagina een nieuwe link aan.`
  const unexpected =
    "Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren; zonder de link kan niemand inloggen. Gebeurt het vaker, meld het dan aan de beheerder van verzuimregie in uw organisatie."
  return render(subject, [
    paragraph("Goedendag,"),
    paragraph(main),
    { kind: "link", href: input.url, label: "Inloggen bij verzuimregie" },
    paragraph(validity),
    paragraph(unexpected, "note"),
    paragraph(SIGNATURE),
  ])
}

/** One notification as a line: what happened, the case number and the date it is about. */
export const notificationLine = (item: {
  readonly kind: Notifications.Kind
  readonly caseRef: MailSafe.Safe
  readonly facts: Notifications.Facts
}): string => {
  const due = item.facts.dueOn === undefined ? "" : Dutch.longDate(item.facts.dueOn)
  switch (item.kind) {
    case "nieuwe-aanmelding":
      return `Nieuwe aanmelding voor intake: casus ${item.caseRef}.`
    case "actie-toegewezen":
      return `Er is een actie aan u toegewezen in casus ${item.caseRef}, uiterlijk ${due}.`
    case "actie-morgen":
      return `Een actie van u in casus ${item.caseRef} moet morgen (${due}) klaar zijn.`
    case "actie-verlopen":
      return `Een actie van u in casus ${item.caseRef} is verlopen: de uiterste datum was ${due}.`
    case "casus-overgedragen":
      return `U bent regiehouder geworden van casus ${item.caseRef}.`
    case "pact-alarm":
      return `Thuiszitterspact: de leerling van casus ${item.caseRef} zit sinds ${item.facts.limitDate === undefined ? "kort" : Dutch.longDate(item.facts.limitDate)} drie maanden thuis zonder passend aanbod.`
    case "kwartaalbespreking":
      return `De kwartaalbespreking van casus ${item.caseRef} is nodig, uiterlijk ${due}.`
  }
}

const NOTIFICATION_PRIVACY =
  "Om privacyredenen staan in dit bericht geen gegevens van de leerling en niets van wat in de casus is getypt; u herkent de casus aan het casusnummer."

const PREFERENCES_NOTE = "Welke meldingen u krijgt en wanneer, stelt u in op de pagina Meldingen:"

/** One notification, sent at once. */
export const notification = (input: {
  readonly item: {
    readonly kind: Notifications.Kind
    readonly caseRef: MailSafe.Safe
    readonly facts: Notifications.Facts
  }
  readonly label: string
  readonly caseUrl: string
  readonly preferencesUrl: string
  readonly at?: Date
}): Rendered =>
  render(`${input.label}: casus ${input.item.caseRef}`, [
    paragraph(greeting(input.at ?? new Date())),
    paragraph(notificationLine(input.item)),
    paragraph("Bekijk de casus in verzuimregie:"),
    { kind: "link", href: input.caseUrl, label: input.caseUrl, follows: true },
    paragraph(NOTIFICATION_PRIVACY, "note"),
    paragraph(PREFERENCES_NOTE, "note"),
    { kind: "link", href: input.preferencesUrl, label: input.preferencesUrl, follows: true },
    paragraph(SIGNATURE),
  ])

/** The daily digest: every waiting notification of a user in one mail, grouped by kind. */
export const notificationDigest = (input: {
  readonly on: LocalDate.LocalDate
  readonly groups: ReadonlyArray<{
    readonly label: string
    readonly items: ReadonlyArray<{ readonly line: string; readonly caseUrl: string }>
  }>
  readonly preferencesUrl: string
  readonly at?: Date
}): Rendered => {
  const count = input.groups.reduce((n, g) => n + g.items.length, 0)
  return render(
    `Dagelijks overzicht verzuimregie, ${Dutch.longDate(input.on)}: ${count} melding${count === 1 ? "" : "en"}`,
    [
      paragraph(greeting(input.at ?? new Date())),
      paragraph(`Hierbij uw meldingen van verzuimregie sinds het vorige overzicht (${count}).`),
      ...input.groups.flatMap(
        (g): ReadonlyArray<Block> => [
          { kind: "heading", text: g.label },
          { kind: "list", items: g.items.map((i) => `${i.line} ${i.caseUrl}`) },
        ],
      ),
      paragraph(NOTIFICATION_PRIVACY, "note"),
      paragraph(PREFERENCES_NOTE, "note"),
      { kind: "link", href: input.preferencesUrl, label: input.preferencesUrl, follows: true },
      paragraph(SIGNATURE),
    ],
  )
}
