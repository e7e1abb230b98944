/**
 * LibreOffice for the print tests: converts workbooks headless to PDF (what a printer gets) or
 * back to `.xlsx` (what LibreOffice understood), and counts a PDF's pages in plain Node.
 *
 * Without `soffice` on the PATH the tests that need it are skipped, and say so; CI installs it
 * (`.ci/run`: `apt-get install -y libreoffice-calc`).
 */
import { execFile } from "node:child_process"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import { promisify } from "node:util"

const run = promisify(execFile)

/** The `soffice` executable on the PATH, if any. */
export const soffice: string | undefined = (process.env.PATH ?? "")
  .split(Path.delimiter)
  .filter((dir) => dir !== "")
  .map((dir) => Path.join(dir, "soffice"))
  .find((file) => {
    try {
      Fs.accessSync(file, Fs.constants.X_OK)
      return true
    } catch {
      return false
    }
  })

let warned = false
/** True when LibreOffice cannot be used here; says so once per test file, naming the suite. */
export const skipLibreOffice = (suite: string): boolean => {
  if (soffice !== undefined) return false
  if (!warned) {
    warned = true
    process.stderr.write(
      `\n!!! LibreOffice ${suite} tests SKIPPED: soffice is not installed. Install it (for example\n` +
        "!!! apt-get update && apt-get install -y libreoffice-calc) to run them; CI does.\n\n",
    )
  }
  return true
}

/**
 * Converts files with one headless LibreOffice run (it converts them one after the other), with a
 * private profile so parallel test runs do not share (and lock) one. Returns the converted files'
 * contents by input name. A first start on a busy machine takes some seconds: generous time-out.
 */
export const convert = async (
  files: Readonly<Record<string, Uint8Array>>,
  target: "pdf" | "xlsx",
): Promise<Record<string, Buffer>> => {
  if (soffice === undefined) throw new Error("soffice is not installed")
  const dir = Fs.mkdtempSync(Path.join(Os.tmpdir(), "verzuimregie-print-"))
  try {
    const inputs = Object.entries(files).map(([name, content]) => {
      const file = Path.join(dir, "in", `${name}.xlsx`)
      Fs.mkdirSync(Path.dirname(file), { recursive: true })
      Fs.writeFileSync(file, content)
      return file
    })
    const out = Path.join(dir, "out")
    await run(
      soffice,
      [
        `-env:UserInstallation=file://${Path.join(dir, "profile")}`,
        "--headless",
        "--norestore",
        "--convert-to",
        target === "pdf" ? "pdf" : "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        out,
        ...inputs,
      ],
      { timeout: 150_000 },
    )
    return Object.fromEntries(
      Object.keys(files).map((name) => {
        const file = Path.join(out, `${name}.${target}`)
        if (!Fs.existsSync(file)) throw new Error(`LibreOffice did not convert ${name}.xlsx to ${target}`)
        return [name, Fs.readFileSync(file)]
      }),
    )
  } finally {
    Fs.rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree nodes). LibreOffice
 * writes them as plain objects, not inside compressed object streams; a PDF without any is an
 * error rather than zero pages.
 */
export const pdfPages = (pdf: Buffer): number => {
  const pages = pdf.toString("latin1").match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0
  if (pages === 0) throw new Error("no page objects found: not a PDF from LibreOffice?")
  return pages
}
