/**
 * People read the API reference: every summary, description and title in the served OpenAPI
 * document is Dutch, including the standard responses, the Idempotency-Key header and effect's own
 * descriptions of its refinements ("an array of at most 4 item(s)"), which OpenApi.ts translates.
 */
import { afterAll, beforeAll, expect, it } from "vitest"
import { type Gateway, startGateway } from "./support/gateway.js"

/** Words that occur in English prose and not in Dutch (schema keywords like `null` excepted). */
const ENGLISH =
  /(?<!\p{L})(the|and|with|to|from|for|an|must|should|be|when|which|this|that|are|every|any|string|number|array|integer|item\(s\)|character\(s\)|identifier|matching|between|digits|valid|unexpected|rate limit|not found|too large|failed)(?!\p{L})/iu

let gateway: Gateway
let document: unknown
beforeAll(async () => {
  gateway = await startGateway()
  document = await (await fetch(`${gateway.base}/openapi.json`)).json()
})
afterAll(async () => {
  await gateway?.close()
})

/** Every text a reader sees, with where it is, skipping examples (they are data, not prose). */
const texts = (value: unknown, at: string, out: Array<readonly [string, string]>) => {
  if (Array.isArray(value)) {
    for (const [i, child] of value.entries()) texts(child, `${at}/${i}`, out)
  } else if (value !== null && typeof value === "object")
    for (const [key, child] of Object.entries(value)) {
      if (key === "example" || key === "examples") continue
      if ((key === "summary" || key === "description" || key === "title") && typeof child === "string")
        out.push([`${at}/${key}`, child])
      else texts(child, `${at}/${key}`, out)
    }
  return out
}

it("has no English summary, description or title", () => {
  const all = texts(document, "", [])
  expect(all.length).toBeGreaterThan(100)
  const english = all.filter(([, text]) => ENGLISH.test(text)).map(([at, text]) => `${at}: ${text}`)
  expect(english).toEqual([])
})

it("has no code for a title (effect's `between(1, 8)`, `maxItems(4)`, `int`)", () => {
  const codeLike = texts(document, "", [])
    // The product's own name is lower case by choice.
    .filter(([at]) => at.endsWith("/title") && at !== "/info/title")
    .filter(([, text]) => /^[a-z][A-Za-z]*(\(.*\))?$/.test(text))
    .map(([at, text]) => `${at}: ${text}`)
  expect(codeLike).toEqual([])
})

it("describes the standard responses and the Idempotency-Key header in Dutch", () => {
  const all = new Map(texts(document, "", []).map(([at, text]) => [at, text]))
  const find = (suffix: string) => [...all].find(([at]) => at.endsWith(suffix))?.[1]
  expect(find("/responses/401/description")).toBe("Geen geldig API-token")
  expect(find("/responses/429/description")).toBe("Te veel verzoeken: de limiet is bereikt")
  expect(find("/bearerAuth/description")).toMatch(/^API-token/)
  const idempotency = texts(document, "", []).find(([, text]) => text.startsWith("Veilig opnieuw proberen"))
  expect(idempotency?.[0]).toMatch(/\/parameters\/\d+\/description$/)
})
