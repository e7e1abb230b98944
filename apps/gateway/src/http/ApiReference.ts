/**
 * The API reference at /docs: Scalar's API reference (`@scalar/api-reference`, MIT), its
 * standalone browser bundle served by the gateway itself from node_modules, rendering
 * /openapi.json. It expands every schema, shows an example request and response per operation and
 * has a client to try a request with an API token. Nothing is loaded from elsewhere: no fonts, no
 * telemetry, no proxy; the page's own CSP allows scripts, fetches, images and fonts from this
 * origin only. Scalar injects its styles as `<style>` elements at run time, so the page (and only
 * the page) needs `style-src 'unsafe-inline'`; the rest of the gateway keeps `default-src 'none'`.
 */
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import type { Hono } from "hono"
import { secureHeaders } from "hono/secure-headers"
import type { AppEnv } from "./Route.js"
import { SCALAR_DUTCH } from "./ScalarDutch.js"

export const DOCS_PATH = "/docs"
const BUNDLE_PATH = "/docs/scalar.js"
const SETUP_PATH = "/docs/reference.js"

/** The CSP of /docs and its scripts (docs/api.md explains each part). */
export const DOCS_CSP = {
  defaultSrc: ["'none'"],
  scriptSrc: ["'self'"],
  // Scalar (Vue) adds its styles as <style> elements and style attributes while it renders.
  styleSrc: ["'self'", "'unsafe-inline'"],
  // The reference fetches /openapi.json; its client sends the requests you try to this origin.
  connectSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'", "data:"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
}

/**
 * Scalar's single-file browser build, from the installed package (its exports do not list it).
 * Zod, inside it, probes `Function("")` to decide whether to compile its validators; that probe is
 * an eval the CSP refuses (and reports). Told to run without compiling (`jitless`, Zod's own global
 * setting, read from `globalThis.__zod_globalConfig`), it never tries, so no `'unsafe-eval'`.
 */
let bundled: Uint8Array | undefined
/** Read once per process (4.8 MB), however many apps are made (the tests make many). */
const bundle = (): Uint8Array => {
  if (bundled !== undefined) return bundled
  const main = createRequire(import.meta.url).resolve("@scalar/api-reference")
  const scalar = readFileSync(join(dirname(main), "browser", "standalone.js"))
  bundled = Buffer.concat([Buffer.from("globalThis.__zod_globalConfig = { jitless: true };\n"), scalar])
  return bundled
}

/**
 * Scalar's configuration: the document of this gateway, bearer tokens for the client, and every
 * outside service switched off. The token typed into the client stays in the page (persistAuth
 * off: it is not written to the browser's storage).
 */
const setup = `Scalar.createApiReference("#reference", ${JSON.stringify({
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  persistAuth: false,
  hideClientButton: false,
  showDeveloperTools: "never",
  documentDownloadType: "json",
  expandAllModelSections: true,
  expandAllSchemaProperties: true,
  defaultOpenAllTags: true,
  orderRequiredPropertiesFirst: true,
  authentication: { preferredSecurityScheme: "bearerAuth" },
  mcp: { disabled: true },
  // "Ask AI" would send the document to Scalar's service; it is on by default on localhost.
  agent: { disabled: true },
  defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
  // Scalar ships no Dutch; its labels come from ScalarDutch.ts (English where that has no text).
  localization: { locale: "nl", translations: SCALAR_DUTCH },
})});
`

const page = `<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>verzuimregie — API</title>
<link rel="icon" href="data:,">
</head>
<body>
<noscript>De API-referentie heeft JavaScript nodig. Het OpenAPI-document zelf staat op <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="${BUNDLE_PATH}"></script>
<script src="${SETUP_PATH}"></script>
</body>
</html>
`

/** Mounts /docs and its two scripts, each with the reference's CSP instead of the API's. */
export const mountApiReference = (app: Hono<AppEnv>): void => {
  const script = bundle()
  const headers = secureHeaders({
    contentSecurityPolicy: DOCS_CSP,
    referrerPolicy: "no-referrer",
    crossOriginResourcePolicy: "same-origin",
  })
  const js = { "content-type": "text/javascript; charset=utf-8", "cache-control": "public, max-age=3600" }
  app.get(DOCS_PATH, headers, (c) => c.html(page))
  app.get(BUNDLE_PATH, headers, (c) => c.body(script as Uint8Array<ArrayBuffer>, 200, js))
  app.get(SETUP_PATH, headers, (c) => c.body(setup, 200, js))
}

/** Paths whose CSP is the reference's: the gateway's own secure headers leave them alone. */
export const isDocsPath = (path: string): boolean => path === DOCS_PATH || path.startsWith(`${DOCS_PATH}/`)
