/**
 * The one stylesheet of the web app: the NL Design System's design tokens and the Utrecht component
 * library (both EUPL-1.2, from npm, served by the gateway itself: no external assets, CSP
 * `style-src 'self'`), then the few rules of our own. Its address carries a digest of its content,
 * so it is cached for a year and a new version is a new address.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { COMPONENT_STYLES } from "./Components.js"

const require = createRequire(import.meta.url)

const read = (specifier: string): string => readFileSync(require.resolve(specifier), "utf8")

/** Our own rules: layout of header and footer, and what the library leaves to the page. */
const OWN = `
.vr-header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between;padding:.75rem 1.5rem;border-block-end:1px solid var(--utrecht-color-grey-80,#ccc)}
.vr-brand{font-weight:700;font-size:1.25rem;margin:0}
.vr-nav ul{display:flex;flex-wrap:wrap;gap:1rem;list-style:none;margin:0;padding:0}
.vr-main{max-inline-size:72rem;margin-inline:auto;padding:1.5rem}
.vr-footer{max-inline-size:72rem;margin-inline:auto;padding:1.5rem;color:var(--utrecht-color-grey-30,#444)}
.vr-inline-form{display:inline}
.vr-tasks{list-style:none;padding:0;display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr))}
.vr-tasks li{border:1px solid var(--utrecht-color-grey-80,#ccc);padding:1rem}
.vr-tasks a{font-weight:700;font-size:1.125rem}
.vr-main h2{margin-block-start:1.5rem}
.vr-main .utrecht-paragraph{margin-block:.5rem}
:focus-visible{outline:3px solid var(--utrecht-focus-outline-color,#000);outline-offset:2px}
@media print{.vr-header nav,.vr-header form,.utrecht-skip-link{display:none}}
`

export interface Stylesheet {
  readonly path: string
  readonly body: string
}

export const makeStylesheet = (moduleStyles: ReadonlyArray<string> = []): Stylesheet => {
  const body = [
    read("@utrecht/design-tokens/dist/index.css"),
    read("@utrecht/component-library-css/dist/index.css"),
    OWN,
    COMPONENT_STYLES,
    ...moduleStyles,
  ].join("\n")
  const digest = createHash("sha256").update(body).digest("hex").slice(0, 16)
  return { path: `/static/verzuimregie.${digest}.css`, body }
}
