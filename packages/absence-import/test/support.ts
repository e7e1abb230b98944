/** Helpers of the reader's tests: files as byte streams, reading them to the end. */

import { readFileSync } from "node:fs"
import { LocalDate } from "@verzuimregie/domain"
import { Either } from "effect"
import { AbsenceFileRefused, type ImportedRow, Mapping, Reader, type RowProblem } from "../src/index.js"

/** `bytes` in chunks of `size` bytes (small sizes cut records, quotes and characters apart). */
export async function* chunked(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** Windows-1252 bytes of text in Latin-1 range (é, ë, ï… are the same code points). */
export const cp1252 = (text: string): Uint8Array =>
  Uint8Array.from(
    Array.from(text, (c) => {
      const code = c.charCodeAt(0)
      if (code > 0xff) throw new Error(`not in Latin-1: ${c}`)
      return code
    }),
  )

export const shippedMapping = (name: string): Mapping.Mapping => {
  const found = Mapping.shipped().find((m) => m.name === name)
  if (found === undefined) throw new Error(`no shipped mapping ${name}`)
  return Either.getOrThrow(Mapping.parse(readFileSync(found.path, "utf8"), found.path))
}

export const period = { from: LocalDate.make("2025-08-01"), to: LocalDate.make("2026-07-31") }
export const today = LocalDate.make("2026-07-31")

export interface ReadAll {
  readonly rows: Array<ImportedRow>
  readonly problems: Array<RowProblem>
  readonly batches: number
  readonly refused: AbsenceFileRefused | undefined
  readonly result: Reader.ReadResult
}

export const readAll = async (
  bytes: Uint8Array,
  options: Partial<Reader.ReadOptions> & { readonly mapping: Mapping.Mapping },
  chunkSize?: number,
): Promise<ReadAll> => {
  const { items, result } = Reader.read(chunked(bytes, chunkSize), {
    period,
    today,
    fileName: "export.csv",
    ...options,
  })
  const rows: Array<ImportedRow> = []
  const problems: Array<RowProblem> = []
  let batches = 0
  let refused: AbsenceFileRefused | undefined
  try {
    for await (const item of items) {
      if (item._tag === "rows") {
        batches++
        rows.push(...item.rows)
      } else problems.push(item.problem)
    }
  } catch (e) {
    if (!(e instanceof AbsenceFileRefused)) throw e
    refused = e
  }
  return { rows, problems, batches, refused, result: result() }
}
