/**
 * Filling in the web app's referral form as a person would (`/aanmeldingen/nieuw`): its fields by
 * their form names (the submission's paths), the common part every region asks, the submit.
 */
import type { Page } from "playwright-core"

/** The element id of a form field, as the web app's `fieldId` makes it. */
export const id = (name: string) => `#veld-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`

/** The fields every region asks, filled in as a school would. */
export const fillCommon = async (
  page: Page,
  pupil: { givenName: string; familyName: string; birthDate: string },
  verzuimKind: string,
) => {
  await page.fill(id("pupil.name.givenName"), pupil.givenName)
  await page.fill(id("pupil.name.familyName"), pupil.familyName)
  await page.fill(id("pupil.birthDate"), pupil.birthDate)
  await page.fill(id("pupil.enrolment.schoolName"), "Het Westlandse Lyceum")
  await page.selectOption(id("pupil.enrolment.level"), "VO")
  await page.check(`input[name="verzuimKind"][value="${verzuimKind}"]`)
  await page.check('input[name="reasons"][value="ongeoorloofd-verzuim"]')
  await page.fill(id("parents.0.name"), `M. ${pupil.familyName}`)
  await page.selectOption(id("parents.0.relation"), "moeder")
  await page.check(`${id("parents.0.hasParentalAuthority")}-0`)
}

export const submitReferralForm = async (page: Page) => {
  await Promise.all([
    page.waitForLoadState("load"),
    page.click("form[action='/aanmeldingen/nieuw'] button[type=submit]"),
  ])
}

export const summaryLinks = (page: Page) =>
  page.locator(".vr-error-summary a").evaluateAll((links) => links.map((a) => a.getAttribute("href")))

/** No value that identifies a pupil in any address the page requested. */
export const identifyingInUrls = (requests: ReadonlyArray<string>, values: ReadonlyArray<string>) =>
  requests.flatMap((url) =>
    values.filter((value) => decodeURIComponent(url).includes(value)).map((v) => `${v} in ${url}`),
  )
