/**
 * Mijn werk: the personal inbox, what needs the signed-in person now, most urgent first (the
 * `Inbox` use case, the same as `GET /me/inbox`). Also the start page's main content for the
 * people who have one (`InboxSummary`).
 */
import { Inbox } from "@verzuimregie/app"
import type { Hono } from "hono"
import { Alert, dutchDate, Table } from "../Components.js"
import type { PageKit, PageModule, WebEnv } from "../Kit.js"
import { H1, P } from "../Layout.js"

type Found = Inbox.Inbox

const URGENCY_LABEL: Record<Inbox.InboxUrgency, string> = {
  verlopen: "Verlopen",
  vandaag: "Vandaag",
  binnenkort: "Binnenkort",
  nieuw: "Nieuw",
}

const KIND_LABEL: Record<Inbox.InboxKind, string> = {
  actie: "Actie",
  aanmelding: "Aanmelding",
  termijn: "Termijn",
  pact: "Thuiszitterspact",
  verzuimsignaal: "Verzuimsignaal",
}

/** The date column: a due date for dated items, the day it came in for new ones. */
const dateText = (item: Inbox.InboxItem): string =>
  item.dueOn === null
    ? "—"
    : item.urgency === "nieuw"
      ? `sinds ${dutchDate(item.dueOn)}`
      : dutchDate(item.dueOn)

export const InboxTable = (props: {
  readonly caption: string
  readonly items: ReadonlyArray<Inbox.InboxItem>
}) => (
  <Table
    caption={props.caption}
    headers={["Status", "Wat", "Leerling", "Datum", "Soort"]}
    empty="Er wacht nu niets op u."
    rows={props.items.map((item) => [
      <span class={`vr-urgency vr-urgency--${item.urgency}`}>{URGENCY_LABEL[item.urgency]}</span>,
      <a class="utrecht-link" href={item.href}>
        {item.title}
      </a>,
      item.subject ?? "—",
      dateText(item),
      KIND_LABEL[item.kind],
    ])}
  />
)

/** How many items of each urgency, as one sentence. */
const countsText = (found: Found): string => {
  const n = (u: Inbox.InboxUrgency) => found.items.filter((i) => i.urgency === u).length
  return `${found.items.length} ${found.items.length === 1 ? "item" : "items"}: ${n("verlopen")} verlopen, ${n("vandaag")} vandaag, ${n("binnenkort")} binnenkort, ${n("nieuw")} nieuw.`
}

/** The start page's part: the most urgent items and a link to the whole list. */
export const InboxSummary = (props: { readonly found: Found }) => (
  <section aria-labelledby="mijn-werk-kop">
    <h2 class="utrecht-heading-2" id="mijn-werk-kop">
      Mijn werk
    </h2>
    <P>{countsText(props.found)}</P>
    <InboxTable caption="Het urgentste werk" items={props.found.items.slice(0, 5)} />
    <P>
      <a class="utrecht-link" href="/mijn-werk">
        Al mijn werk bekijken
      </a>
    </P>
  </section>
)

const mountInbox = <E extends WebEnv>(app: Hono<E>, kit: PageKit) => {
  app.get("/mijn-werk", async (c) => {
    c.set("route", "/mijn-werk")
    const current = await kit.signedInWith(c, Inbox.INBOX_ROLES)
    if (current instanceof Response) return current
    const exit = await kit.run(current, Inbox.forMe())
    if (exit._tag === "Failure") return kit.failure(c, current, exit.cause)
    const found = exit.value
    return kit.page(
      c,
      current,
      { title: "Mijn werk" },
      <>
        <H1>Mijn werk</H1>
        <P>
          Wat nu uw aandacht vraagt op {dutchDate(found.asOf)}, het urgentste eerst: uw acties die binnen een
          week klaar moeten zijn of verlopen zijn, nieuwe aanmeldingen die op intake wachten, termijnen en
          Thuiszitterspact-signalen van uw casussen, en nieuwe verzuimsignalen van uw school.
        </P>
        <P>{countsText(found)}</P>
        {found.truncated ? (
          <Alert type="warning">
            <P>Er is meer werk dan deze lijst in één keer toont; werk de bovenste items eerst af.</P>
          </Alert>
        ) : null}
        <InboxTable caption="Mijn werk, urgentste eerst" items={found.items} />
      </>,
    )
  })
}

export const inboxPages: PageModule = {
  name: "mijn-werk",
  prefixes: ["/mijn-werk"],
  styles: `
.vr-urgency{font-weight:700;white-space:nowrap}
.vr-urgency--verlopen{color:var(--utrecht-feedback-danger-color,#a00);border-inline-start:4px solid currentColor;padding-inline-start:.4rem}
.vr-urgency--vandaag{border-inline-start:4px solid currentColor;padding-inline-start:.4rem}
.vr-urgency--binnenkort{border-inline-start:4px dashed currentColor;padding-inline-start:.4rem}
.vr-urgency--nieuw{font-weight:400}
`,
  mount: (app, kit) => mountInbox(app, kit),
}
