/** The personal data of synthetic pupils, and a check that none of it is in a message. */
import { type Case, LocalDate, Pupil } from "@verzuimregie/domain"
import { expect } from "vitest"
import * as XLSX from "xlsx"
import type { Received } from "./smtp.js"

/**
 * The names typed into the cases: a mail shows none of them (professionals appear by their
 * registered account or their role, see `MailSafe`), so they all count as leaks, the
 * professionals' too.
 */
const typedNamesOf = (states: ReadonlyArray<Case.CaseState>): Set<string> => {
  const names = new Set<string>()
  for (const s of states) {
    if (s.regiehouder !== undefined) names.add(s.regiehouder.name)
    for (const a of s.actions) names.add(a.owner.name)
    for (const h of s.handovers) names.add(h.to.name)
    for (const m of s.meetings) for (const p of m.participants) names.add(p.name)
    names.add(s.referral.referrer.name)
  }
  return names
}

export const secretsOf = (all: Iterable<Case.CaseState>): Array<string> => {
  const states = [...all]
  const secrets = typedNamesOf(states)
  for (const state of states) {
    const pupil = state.referral.pupil
    secrets.add(Pupil.displayName(pupil.name))
    secrets.add(`${pupil.name.givenName} ${pupil.name.familyName}`)
    const { year, month, day } = LocalDate.parts(pupil.birthDate)
    const dd = String(day).padStart(2, "0")
    const mm = String(month).padStart(2, "0")
    for (const s of [
      pupil.birthDate,
      `${dd}-${mm}-${year}`,
      `${day}-${month}-${year}`,
      `${dd}/${mm}/${year}`,
    ])
      secrets.add(s)
    if (pupil.personNumber !== undefined) secrets.add(pupil.personNumber.value)
    for (const parent of state.referral.parents) secrets.add(parent.name)
  }
  return [...secrets]
}

/** All text inside an .xlsx package (every XML part, decompressed). */
export const packageText = (file: Uint8Array): string => {
  const container = XLSX.CFB.read(file, { type: "buffer" }) as { FileIndex: Array<{ content?: Uint8Array }> }
  return container.FileIndex.map((e) =>
    e.content === undefined ? "" : Buffer.from(e.content).toString("utf8"),
  ).join("\n")
}

/** Subject, text, HTML, every header line and every attachment (cells and XML) are free of pupil data. */
export const expectNoPupilData = (message: Received, states: ReadonlyArray<Case.CaseState>): void => {
  const secrets = secretsOf(states)
  const raw = message.raw.toString("utf8")
  const headerBlock = raw.slice(0, raw.search(/\r?\n\r?\n/))
  const parts = {
    subject: message.parsed.subject ?? "",
    text: message.parsed.text ?? "",
    html: typeof message.parsed.html === "string" ? message.parsed.html : "",
    headers: headerBlock,
    raw,
    ...Object.fromEntries(
      message.parsed.attachments.map((a, i) => [`attachment ${i} ${a.filename}`, packageText(a.content)]),
    ),
  }
  for (const [where, text] of Object.entries(parts)) {
    expect(
      secrets.filter((s) => text.includes(s)),
      `pupil data in ${where}`,
    ).toEqual([])
  }
  const birthSerials = new Set(states.map((s) => LocalDate.toEpochDay(s.referral.pupil.birthDate) + 25_569))
  for (const attachment of message.parsed.attachments) {
    const book = XLSX.read(attachment.content, { type: "buffer" })
    for (const name of book.SheetNames) {
      const sheet = book.Sheets[name] as XLSX.WorkSheet
      for (const [ref, cell] of Object.entries(sheet)) {
        if (ref.startsWith("!")) continue
        const c = cell as XLSX.CellObject
        if (c.t === "n" && typeof c.v === "number")
          expect(birthSerials.has(c.v), `birth date in ${name}!${ref}`).toBe(false)
        if (c.t === "s")
          expect(
            secrets.filter((s) => String(c.v).includes(s)),
            `${name}!${ref}`,
          ).toEqual([])
      }
    }
  }
}
