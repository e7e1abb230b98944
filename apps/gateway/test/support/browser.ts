/// <reference lib="dom" />
/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core: no browser is ever downloaded.
 * Suites that need it skip, loudly, where it is missing; .ci/run installs it.
 */
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { type Browser, chromium, type Page } from "playwright-core"

export const CHROMIUM = "/usr/bin/chromium"

/** True (and said once, loudly) when there is no Chromium here. */
export const chromiumMissing = (suite: string): boolean => {
  const missing = !existsSync(CHROMIUM)
  if (missing)
    console.warn(
      `\n!!! ${suite} SKIPPED: ${CHROMIUM} is missing. Install it (apt-get install -y chromium); CI does.\n`,
    )
  return missing
}

export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // The browser of a Dutch office: its own texts (date fields' dd-mm-jjjj) in Dutch.
      "--lang=nl-NL",
    ],
    env: { ...process.env, LANG: "nl_NL.UTF-8", LANGUAGE: "nl" },
  })

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8")

export interface AxeViolation {
  readonly id: string
  readonly impact: string | null
  readonly help: string
  readonly nodes: ReadonlyArray<{ readonly target: ReadonlyArray<string> }>
}

/**
 * axe-core's WCAG 2.1 A and AA rules on the page as it is now. The script is evaluated through the
 * DevTools protocol, not as a `<script>` element, so the page's own CSP stays as strict as served.
 */
export const axeViolations = async (page: Page): Promise<ReadonlyArray<AxeViolation>> => {
  await page.evaluate(axeSource)
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe is a global the evaluated script defines
    const axe = (globalThis as any).axe
    const result = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })
    return result.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target })),
    }))
  })
}

/** Records what a page asked for and what its CSP refused, to assert none of either went wrong. */
export const watch = (page: Page, origin: string) => {
  const requests: Array<string> = []
  const foreign: Array<string> = []
  const problems: Array<string> = []
  page.on("request", (request) => {
    const url = request.url()
    requests.push(url)
    if (!url.startsWith(`${origin}/`) && !url.startsWith("data:")) foreign.push(url)
  })
  page.on("console", (message) => {
    if (/content security policy|refused to/i.test(message.text())) problems.push(message.text())
  })
  page.on("pageerror", (error) => {
    problems.push(`page error: ${error.message}`)
  })
  return { requests, foreign, problems }
}
