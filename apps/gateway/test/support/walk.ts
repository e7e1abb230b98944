/// <reference lib="dom" />
/**
 * Walking a case end to end through the pages, as the people who use them would: a referrer
 * refers through the rendered form and reads Mijn aanmeldingen; a case worker opens the
 * werkvoorraad, finds the pupil with Zoeken, opens the dossier, logs what happened through
 * "Gebeurtenis vastleggen", reads on the dossier why a step cannot be taken yet, and takes it once
 * it can. Every move is a click on what the page shows (menu, links, buttons); no API call.
 *
 * axe is not run on every page here (each walk stays under 20 s): the page tests cover the forms;
 * a walk checks the page states only it reaches (`expectGoodPage`).
 */
import { CaseEvent, CaseParts, Party } from "@verzuimregie/domain"
import type { Browser, Locator, Page } from "playwright-core"
import { expect } from "vitest"
import type { Gateway } from "./gateway.js"
import { id as fieldOf } from "./referral-form.js"
import { type SignedInPage, signIn } from "./web.js"

export interface WalkPupil {
  readonly givenName: string
  readonly familyName: string
  readonly birthDate: string
}

export const fullName = (pupil: WalkPupil) => `${pupil.givenName} ${pupil.familyName}`

/** The link texts of "Gebeurtenis vastleggen" by form address (`/vastleggen/<kind>`). */
const FORM_TITLES = {
  contact: "Contact vastleggen",
  huisbezoek: "Huisbezoek vastleggen",
  overleg: "Overleg vastleggen",
  afspraak: "Afspraak vastleggen",
  actie: "Actie uitzetten",
  "actie-afgerond": "Actie afronden",
  "interventie-start": "Interventie starten",
  "interventie-einde": "Interventie beëindigen",
  schoolgang: "Schoolgang vastleggen",
  overdracht: "Overdracht vastleggen",
  intake: "Intake vastleggen",
  regiehouder: "Regiehouder toewijzen",
  "ouders-geinformeerd": "Vastleggen dat de ouders zijn geïnformeerd",
} as const
export type FormKind = keyof typeof FORM_TITLES

/** Does `action` and waits for the page it leads to (a link, a form post and its redirect). */
export const follow = async (page: Page, action: () => Promise<void>) => {
  await Promise.all([page.waitForEvent("load"), action()])
}

/** Clicks a link by its text and waits for the page. */
export const clickLink = (page: Page, text: string, within: Page | Locator = page) =>
  follow(page, () => within.getByRole("link", { name: text, exact: true }).click())

const pressButton = (page: Page, text: string) =>
  follow(page, () => page.getByRole("button", { name: text, exact: true }).click())

/** Matches the whole text, not a part of it ("Afsluiten", not "Afsluiten om een andere reden"). */
const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}$`)

/**
 * The form was accepted: the page it led to is the one expected. Otherwise the test fails with
 * what the page said (an error summary, a refusal), read only then.
 */
const expectArrived = async (page: Page, arrived: (url: URL) => boolean) => {
  if (arrived(new URL(page.url()))) return
  const said = (await page.locator("main").textContent())?.replace(/\s+/g, " ").trim()
  expect.fail(`still on ${page.url()}: ${said}`)
}

const h1 = (page: Page) => page.locator("h1").textContent()

// -----------------------------------------------------------------------------------------------
// The referrer.

/**
 * The referrer opens "Aanmelden" from the menu (their one region's form), fills it in with
 * `fill`, sends it, reads the confirmation and then Mijn aanmeldingen; answers the referral's id.
 */
export const refer = async (
  referrer: SignedInPage,
  region: { readonly name: string; readonly initialStatus: string },
  pupil: WalkPupil,
  fill: (page: Page) => Promise<void>,
): Promise<string> => {
  const { page } = referrer
  await clickLink(page, "Aanmelden", page.getByRole("navigation", { name: "Hoofdmenu" }))
  expect(await h1(page)).toBe(`Aanmelden bij ${region.name}`)
  await fill(page)
  await pressButton(page, "Aanmelding versturen")
  await expectArrived(page, (url) => /^\/aanmeldingen\/ref_/.test(url.pathname))
  expect(await h1(page)).toBe(`Aanmelding bij ${region.name}`)
  expect(await page.locator("main").textContent()).toContain(region.initialStatus)
  const referralId = new URL(page.url()).pathname.split("/")[2] as string
  await clickLink(page, "Naar Mijn aanmeldingen")
  expect(await mineRow(page, pupil)).toContain(region.initialStatus)
  return referralId
}

/** The row of Mijn aanmeldingen that names the pupil, as text. */
export const mineRow = async (page: Page, pupil: WalkPupil) => {
  expect(await h1(page)).toBe("Mijn aanmeldingen")
  const row = page.locator("table tbody tr", { hasText: fullName(pupil) })
  expect(await row.count()).toBe(1)
  return (await row.textContent()) ?? ""
}

/** The referrer opens Mijn aanmeldingen from the menu; answers the pupil's row. */
export const openMine = async (referrer: SignedInPage, pupil: WalkPupil) => {
  const { page } = referrer
  await clickLink(page, "Mijn aanmeldingen", page.getByRole("navigation", { name: "Hoofdmenu" }))
  return mineRow(page, pupil)
}

/** The common part of the referral form, filled in as a school would (consent by the pupil's age). */
export const fillReferral = async (
  page: Page,
  pupil: WalkPupil,
  options: { readonly verzuimKind: string; readonly consent: "ouders" | "leerling" },
) => {
  await page.fill(fieldOf("pupil.name.givenName"), pupil.givenName)
  await page.fill(fieldOf("pupil.name.familyName"), pupil.familyName)
  await page.fill(fieldOf("pupil.birthDate"), pupil.birthDate)
  await page.fill(fieldOf("pupil.enrolment.schoolName"), "Scholengemeenschap De Horizon")
  await page.selectOption(fieldOf("pupil.enrolment.level"), "VO")
  await page.check(`input[name="verzuimKind"][value="${options.verzuimKind}"]`)
  await page.check('input[name="reasons"][value="ongeoorloofd-verzuim"]')
  await page.fill(fieldOf("parents.0.name"), `M. ${pupil.familyName}`)
  await page.selectOption(fieldOf("parents.0.relation"), "moeder")
  await page.check(`${fieldOf("parents.0.hasParentalAuthority")}-0`)
  if (options.consent === "ouders") {
    await page.fill(fieldOf("toestemming.ouders.givenOn"), "2026-11-12")
    await page.fill(fieldOf("toestemming.ouders.givenBy"), "moeder")
    await page.selectOption(fieldOf("toestemming.ouders.method"), "schriftelijk")
  } else {
    await page.fill(fieldOf("toestemming.leerling.givenOn"), "2026-11-10")
    await page.selectOption(fieldOf("toestemming.leerling.method"), "mondeling")
    await page.fill(fieldOf("consent.parentsInformedOn"), "2026-11-11")
  }
}

// -----------------------------------------------------------------------------------------------
// The case worker.

/**
 * The case worker opens the werkvoorraad from the menu, sees the new case among the region's
 * cases, searches the pupil by name with Zoeken and opens the dossier; answers the case id.
 */
export const findDossier = async (worker: SignedInPage, pupil: WalkPupil): Promise<string> => {
  const { page } = worker
  const menu = page.getByRole("navigation", { name: "Hoofdmenu" })
  await clickLink(page, "Werkvoorraad", menu)
  expect(await h1(page)).toBe("Werkvoorraad")
  // Nobody holds the new case yet: it is in the region's list, not in "Mijn casussen".
  await clickLink(page, "Casussen van mijn regio's")
  expect(await page.locator("table tbody").textContent()).toContain(fullName(pupil))
  await clickLink(page, "Zoeken", menu)
  await page.fill("#veld-naam", pupil.familyName)
  await pressButton(page, "Zoeken")
  const results = page.locator("table tbody tr")
  expect(await results.count()).toBe(1)
  await clickLink(page, fullName(pupil), results)
  expect(await h1(page)).toBe(`Dossier van ${fullName(pupil)}`)
  const caseId = new URL(page.url()).pathname.split("/")[2] as string
  expect(caseId).toMatch(/^case_/)
  return caseId
}

/** The dossier as a case worker works it: log through the forms, read and take the steps. */
export const dossier = (worker: SignedInPage, gateway: Gateway, caseId: string) => {
  const { page } = worker
  const here = `${gateway.base}/dossiers/${caseId}`
  const stepsSection = page.locator("section[aria-labelledby=kop-stappen]")

  const self = {
    page,
    /** The status on the dossier's overview. */
    status: async () =>
      (await page.locator("section[aria-labelledby=kop-overzicht] strong").first().textContent()) ?? "",

    /**
     * "Gebeurtenis vastleggen", the form by its title, filled in by `fill`, "Vastleggen": back on
     * the dossier with the notice.
     */
    log: async (kind: FormKind, fill: (page: Page) => Promise<void>) => {
      expect(page.url().startsWith(here)).toBe(true)
      await clickLink(page, "Gebeurtenis vastleggen")
      await clickLink(page, FORM_TITLES[kind], page.locator(".vr-form-index"))
      expect(await h1(page)).toBe(FORM_TITLES[kind])
      await fill(page)
      await pressButton(page, "Vastleggen")
      await expectArrived(page, (url) => url.href === `${here}?vastgelegd=${kind}`)
      expect(await page.getByRole("status").textContent()).toMatch(/^Vastgelegd in de casus: /)
    },

    /** The steps the dossier offers now (their labels). */
    stepsNow: () => stepsSection.locator("#kop-stappen-nu + ul > li > a").allTextContents(),

    /** The dossier says this step cannot be taken yet, with each of these Dutch reasons. */
    expectNotYet: async (label: string, reasons: ReadonlyArray<string>) => {
      const item = stepsSection.locator("#kop-stappen-nog-niet + ul > li", {
        has: page.locator(".vr-step__label", { hasText: exactly(label) }),
      })
      expect(await item.count(), `${label} is not among the steps not yet possible`).toBe(1)
      const shown = await item.locator(".vr-step__reasons li").allTextContents()
      for (const reason of reasons) expect(shown, label).toContainEqual(reason)
    },

    /** Takes a step the dossier offers now: its page, an outcome and reason where asked, "Stap zetten". */
    take: async (
      label: string,
      fill?: {
        readonly outcome?: string
        readonly reason?: string
        /** What the person reads on the step's page before taking it. */
        readonly read?: (page: Page) => Promise<void>
      },
    ) => {
      expect(await self.stepsNow()).toContain(label)
      await clickLink(page, label, stepsSection)
      expect(await h1(page)).toBe(label)
      const stepId = new URL(page.url()).pathname.split("/").at(-1)
      await fill?.read?.(page)
      if (fill?.outcome !== undefined)
        await page.getByRole("radio", { name: fill.outcome, exact: true }).check()
      if (fill?.reason !== undefined) await page.locator("#veld-reason").fill(fill.reason)
      await pressButton(page, "Stap zetten")
      await expectArrived(page, (url) => url.href === `${here}?stap=${stepId}`)
      expect(await page.getByRole("status").textContent()).toBe("De stap is gezet.")
    },

    /** The timeline's rows as [event title, what it says], oldest first. */
    timeline: async () =>
      (
        await page.locator("section[aria-labelledby=kop-tijdlijn] table tbody tr").evaluateAll((rows) =>
          rows.map((row) => {
            const cells = row.querySelectorAll("td, th")
            return [cells[1]?.textContent?.trim() ?? "", cells[3]?.textContent?.trim() ?? ""] as const
          }),
        )
      ).reverse(),
  }
  return self
}

/**
 * The codes found in a text people read (the timeline): the event tags (`MeetingHeld`), the
 * region's state, step and help catalogue codes, outcome, attendance and role codes. Only codes
 * with a hyphen are looked for among the region's and the domain's: `afgesloten` is a code and a
 * Dutch word alike.
 */
export const codesIn = (text: string, gateway: Gateway, regionId: string) => {
  const plugin = gateway.config.regions.find((r) => r.region.id === regionId)?.plugin
  if (plugin === undefined) throw new Error(regionId)
  const codes = [
    ...plugin.workflow.states.map((s) => s.id),
    ...plugin.workflow.transitions.map((t) => t.id),
    ...plugin.catalogue.map((entry) => entry.code),
    ...CaseParts.OutcomeKind.literals,
    ...CaseParts.AttendanceSituation.literals,
    ...Party.PartyRole.literals,
  ].filter((code) => code.includes("-"))
  return [...CaseEvent.caseEventTags, ...codes].filter((code) =>
    new RegExp(`(^|[^\\p{L}-])${code}($|[^\\p{L}-])`, "u").test(text),
  )
}

// -----------------------------------------------------------------------------------------------
// What the forms ask, filled in by their labels (the form's own field names where a label repeats).

const choose = (page: Page, scope: string, label: string) =>
  page.locator(`${scope} label`, { hasText: exactly(label) }).click()

export const fills = {
  regiehouder: (name: string) => async (page: Page) => {
    await page.getByLabel("Regiehouder").selectOption({ label: name })
  },
  intake: (regiehouder: string, summary: string) => async (page: Page) => {
    await page.getByLabel("Regiehouder").selectOption({ label: regiehouder })
    await page.getByLabel("Samenvatting").fill(summary)
  },
  contact: (withRole: string, channel: string, summary?: string) => async (page: Page) => {
    await page.getByLabel("Contact met").selectOption({ label: withRole })
    await choose(page, "#veld-channel", channel)
    if (summary !== undefined) await page.getByLabel("Samenvatting").fill(summary)
  },
  homeVisit: (attendees: ReadonlyArray<string>, summary?: string) => async (page: Page) => {
    for (const who of attendees) await choose(page, "#veld-attendees", who)
    if (summary !== undefined) await page.getByLabel("Samenvatting").fill(summary)
  },
  meeting:
    (
      kind: string,
      participants: ReadonlyArray<{ name: string; role: string; mandated?: boolean }>,
      summary?: string,
    ) =>
    async (page: Page) => {
      await page.getByLabel("Soort overleg").selectOption({ label: kind })
      for (const [row, p] of participants.entries()) {
        const at = `#veld-meeting-participants-${row}-`
        await page.fill(`${at}-name`, p.name)
        await page.selectOption(`${at}-role`, { label: p.role })
        if (p.mandated === true) await page.check(`${at}-mandated-0`)
      }
      await choose(page, "#veld-meeting-reportFiled", "Ja")
      if (summary !== undefined) await page.getByLabel("Samenvatting").fill(summary)
    },
  agreement:
    (description: string, parties: ReadonlyArray<string>, meeting?: string) => async (page: Page) => {
      await page.getByLabel("Afspraak", { exact: true }).fill(description)
      for (const who of parties) await choose(page, "#veld-agreement-parties", who)
      if (meeting !== undefined)
        await page
          .getByLabel("Gemaakt in overleg")
          .selectOption({ index: await indexOf(page, "#veld-agreement-meetingId", meeting) })
    },
  action:
    (description: string, owner: { name: string; role: string }, dueOn: string, agreement?: string) =>
    async (page: Page) => {
      await page.getByLabel("Actie", { exact: true }).fill(description)
      await page.fill("#veld-action-owner-name", owner.name)
      await page.selectOption("#veld-action-owner-role", { label: owner.role })
      await page.getByLabel("Uiterlijk klaar op").fill(dueOn)
      if (agreement !== undefined)
        await page
          .getByLabel("Hoort bij afspraak")
          .selectOption({ index: await indexOf(page, "#veld-action-agreementId", agreement) })
    },
  actionDone: (action: string, note?: string) => async (page: Page) => {
    await page
      .getByLabel("Actie", { exact: true })
      .selectOption({ index: await indexOf(page, "#veld-actionId", action) })
    if (note !== undefined) await page.getByLabel("Toelichting").fill(note)
  },
  interventionStart: (label: string, provider: string) => async (page: Page) => {
    await page.getByLabel("Interventie uit het hulpaanbod van de regio").selectOption({ label })
    await page.getByLabel("Aanbieder").fill(provider)
  },
  interventionEnd: (label: string, result: string) => async (page: Page) => {
    await page
      .getByLabel("Interventie", { exact: true })
      .selectOption({ index: await indexOf(page, "#veld-interventionId", label) })
    await choose(page, "#veld-result", result)
  },
  attendance: (situation: string, fittingOffer: boolean) => async (page: Page) => {
    await choose(page, "#veld-situation", situation)
    await choose(page, "#veld-fittingOffer", fittingOffer ? "Ja" : "Nee")
  },
  handover:
    (to: { name: string; role: string }, summary: string, referrerInformedOn: string) =>
    async (page: Page) => {
      await page.fill("#veld-to-name", to.name)
      await page.selectOption("#veld-to-role", { label: to.role })
      await page.getByLabel("Samenvatting").fill(summary)
      await page.getByLabel("Aanmelder geïnformeerd op").fill(referrerInformedOn)
    },
}

/** The index of the option whose label starts with `text` (labels carry dates and owners after it). */
const indexOf = async (page: Page, select: string, text: string) => {
  const labels = await page.locator(`${select} option`).allTextContents()
  const index = labels.findIndex((l) => l.startsWith(text))
  expect(index, `${text} in ${labels.join(" | ")}`).toBeGreaterThan(0)
  return index
}

/** The referrer and the case worker of a walk, each signed in through the form in their own browser context. */
export const signInBoth = (
  browser: Browser,
  gateway: Gateway,
  tokens: { referrer: string; worker: string },
) =>
  Promise.all([signIn(browser, gateway, tokens.referrer), signIn(browser, gateway, tokens.worker)]).then(
    ([referrer, worker]) => ({
      referrer,
      worker,
      close: () => Promise.all([referrer.close(), worker.close()]),
    }),
  )
