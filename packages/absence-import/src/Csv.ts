/**
 * The CSV parser under the reader: bytes in, records with their line numbers out, one batch per
 * input chunk. It decodes UTF-8 (with or without BOM) or Windows-1252 (what Dutch Excel writes
 * with "Opslaan als CSV"), follows RFC 4180 quoting (delimiters, quotes and line breaks inside
 * quoted fields; CRLF or LF) and keeps only one unfinished record between chunks, so a file of any
 * size streams through in constant memory.
 *
 * The import benchmark's bare baseline parses with this same function.
 *
 * @since 0.1.0
 */
import { TextDecoder } from "node:util"
import { AbsenceFileRefused } from "./Rows.js"

export type Delimiter = ";" | "," | "\t"
export type Encoding = "utf-8" | "windows-1252"

/** The delimiters the reader knows, in the order `auto` tries them (Dutch Excel writes `;`). */
export const DELIMITERS: ReadonlyArray<Delimiter> = [";", ",", "\t"]

/** One record: its fields and the line it starts on (1-based; the header is line 1). */
export interface CsvRecord {
  readonly line: number
  readonly fields: ReadonlyArray<string>
}

export interface ParseOptions {
  /**
   * A fixed delimiter, `auto` (the one of `;`, `,`, tab that splits the first line into the most
   * fields; `;` on a tie), or a function that picks it from the first line's text (it may throw
   * {@link AbsenceFileRefused} to refuse the file).
   */
  readonly delimiter?: Delimiter | "auto" | ((firstLine: string) => Delimiter) | undefined
  /** `auto`: UTF-8 unless the first non-ASCII bytes are not valid UTF-8, then Windows-1252. */
  readonly encoding?: Encoding | "auto" | undefined
}

/**
 * The records of a CSV file, in batches (one per input chunk that completed a record).
 * `delimiter()`/`encoding()` say what was used once known; `bytesRead()` how far the input is.
 * Unreadable input (an unterminated quote at the end, bytes that are not the encoding) rejects
 * with {@link AbsenceFileRefused}, naming the line.
 */
export interface CsvStream extends AsyncIterable<ReadonlyArray<CsvRecord>> {
  readonly delimiter: () => Delimiter | undefined
  readonly encoding: () => Encoding | undefined
  readonly bytesRead: () => number
  /** Physical lines seen so far (all of them once the stream is done). */
  readonly lines: () => number
}

const NAMES: Readonly<Record<Delimiter, string>> = { ";": "puntkomma (;)", ",": "komma (,)", "\t": "tab" }

/** The Dutch name of a delimiter, for messages. */
export const delimiterName = (d: Delimiter): string => NAMES[d]

/** Splits one line (no line breaks) on `delimiter`, honouring quotes. For headers and detection. */
export const splitLine = (line: string, delimiter: Delimiter): Array<string> => {
  if (line.indexOf('"') === -1) return line.split(delimiter)
  const fields: Array<string> = []
  let i = 0
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = ""
      let j = i + 1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q === -1) {
          value += line.slice(j)
          j = line.length
          break
        }
        value += line.slice(j, q)
        if (line.charCodeAt(q + 1) === 34) {
          value += '"'
          j = q + 2
        } else {
          j = q + 1
          break
        }
      }
      const next = line.indexOf(delimiter, j)
      // Text after a closing quote (`"a"b`) is kept, as spreadsheets do.
      value += next === -1 ? line.slice(j) : line.slice(j, next)
      fields.push(value)
      if (next === -1) return fields
      i = next + 1
    } else {
      const next = line.indexOf(delimiter, i)
      if (next === -1) {
        fields.push(line.slice(i))
        return fields
      }
      fields.push(line.slice(i, next))
      i = next + 1
    }
  }
}

/** The delimiter of `auto`: the one that splits `line` into the most fields, `;` on a tie. */
export const detectDelimiter = (line: string): Delimiter => {
  let best: Delimiter = ";"
  let most = 0
  for (const d of DELIMITERS) {
    const n = splitLine(line, d).length
    if (n > most) {
      most = n
      best = d
    }
  }
  return best
}

/**
 * Offset of the first byte of `bytes` that breaks UTF-8, or -1. An incomplete sequence at the end
 * is fine unless `final`; `incomplete` (when given) learns whether there was one.
 */
const firstInvalidUtf8 = (bytes: Uint8Array, final = false, incomplete?: { at: number }): number => {
  let i = 0
  const n = bytes.length
  while (i < n) {
    const b = bytes[i]!
    if (b < 0x80) {
      i++
      continue
    }
    const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (need < 0) return i
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) {
        if (final) return i
        if (incomplete !== undefined) incomplete.at = i
        return -1
      }
      const c = bytes[i + k]!
      if ((c & 0xc0) !== 0x80) return i
    }
    i += need + 1
  }
  return -1
}

const countNewlines = (bytes: Uint8Array, end: number): number => {
  let n = 0
  for (let i = 0; i < end; i++) if (bytes[i] === 10) n++
  return n
}

const countIn = (s: string, from: number, to: number): number => {
  let n = 0
  let i = s.indexOf("\n", from)
  while (i !== -1 && i < to) {
    n++
    i = s.indexOf("\n", i + 1)
  }
  return n
}

/**
 * Parses `chunks` as CSV. The first record is the header; empty lines are skipped (their line
 * numbers still count).
 *
 * @example
 * for await (const batch of Csv.parse(createReadStream(file), { delimiter: "auto" }))
 *   for (const { line, fields } of batch) …
 */
export const parse = (chunks: AsyncIterable<Uint8Array>, options: ParseOptions = {}): CsvStream => {
  let delimiter: Delimiter | undefined =
    options.delimiter === undefined || options.delimiter === "auto" || typeof options.delimiter === "function"
      ? undefined
      : options.delimiter
  const pickDelimiter: (line: string) => Delimiter =
    typeof options.delimiter === "function" ? options.delimiter : detectDelimiter
  let encoding: Encoding | undefined =
    options.encoding === undefined || options.encoding === "auto" ? undefined : options.encoding
  let bytesRead = 0
  /** The line the next unread character of `pending` is on. */
  let line = 1
  let pending = ""
  let started = false

  let decoder: TextDecoder | undefined
  const ascii = new TextDecoder("utf-8")
  const makeDecoder = (e: Encoding) =>
    e === "utf-8"
      ? new TextDecoder("utf-8", { fatal: true, ignoreBOM: false })
      : new TextDecoder("windows-1252")
  if (encoding !== undefined) decoder = makeDecoder(encoding)

  const notEncoding = (bytes: Uint8Array, at: number): AbsenceFileRefused => {
    const where = line + countIn(pending, 0, pending.length) + countNewlines(bytes, Math.max(0, at))
    return new AbsenceFileRefused({
      reason:
        `Het bestand is geen geldige UTF-8 (regel ${where}). Sla de export op als "CSV UTF-8", ` +
        `of zet in de koppeling format.encoding op windows-1252.`,
      line: where,
    })
  }

  /** Undecided: the first non-ASCII bytes, cut off by the chunk's end, wait for the next chunk. */
  let carry: Uint8Array | undefined
  const decode = (input: Uint8Array, last: boolean): string => {
    let bytes = input
    if (carry !== undefined) {
      bytes = Buffer.concat([carry, input])
      carry = undefined
    }
    if (decoder === undefined) {
      // Undecided: ASCII reads the same in both; the first non-ASCII bytes decide.
      let high = -1
      for (let i = 0; i < bytes.length; i++)
        if (bytes[i]! >= 0x80) {
          high = i
          break
        }
      if (high === -1 && !last) return ascii.decode(bytes)
      const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
      const incomplete = { at: -1 }
      const invalid = high === -1 ? -1 : firstInvalidUtf8(bytes.subarray(high), last, incomplete)
      if (!bom && invalid === -1 && incomplete.at === 0 && !last) {
        // Only the start of one character: it could be UTF-8 or two Windows-1252 letters.
        carry = bytes.slice(high)
        return ascii.decode(bytes.subarray(0, high))
      }
      encoding = bom || invalid === -1 ? "utf-8" : "windows-1252"
      decoder = makeDecoder(encoding)
    }
    try {
      return decoder.decode(bytes, { stream: !last })
    } catch {
      throw notEncoding(bytes, firstInvalidUtf8(bytes))
    }
  }

  async function* run(): AsyncGenerator<ReadonlyArray<CsvRecord>> {
    let nextQuote = -2
    const consume = (text: string, final: boolean): Array<CsvRecord> => {
      const out: Array<CsvRecord> = []
      let pos = 0
      if (!started) {
        if (text.charCodeAt(0) === 0xfeff) pos = 1
        const nl = text.indexOf("\n", pos)
        if (nl === -1 && !final) {
          pending = text
          return out
        }
        started = true
        if (delimiter === undefined) {
          const first = (nl === -1 ? text.slice(pos) : text.slice(pos, nl)).replace(/\r$/, "")
          delimiter = pickDelimiter(first)
        }
      }
      const d = delimiter as Delimiter
      nextQuote = -2
      const n = text.length
      while (pos < n) {
        const nl = text.indexOf("\n", pos)
        if (nextQuote !== -1 && nextQuote < pos) nextQuote = text.indexOf('"', pos)
        if (nextQuote === -1 || (nl !== -1 && nextQuote > nl)) {
          // Fast path: a line without quotes.
          if (nl === -1 && !final) break
          const end = nl === -1 ? n : nl
          const stop = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end
          if (stop > pos) out.push({ line, fields: text.slice(pos, stop).split(d) })
          line++
          pos = end + 1
          continue
        }
        // A record with quotes: a state machine that may cross line breaks.
        const fields: Array<string> = []
        let field = ""
        let i = pos
        let breaks = 0
        let complete = false
        let atFieldStart = true
        for (;;) {
          if (i >= n) break
          if (atFieldStart && text.charCodeAt(i) === 34) {
            let j = i + 1
            let closed = false
            for (;;) {
              const q = text.indexOf('"', j)
              if (q === -1) break
              if (text.charCodeAt(q + 1) === 34) {
                breaks += countIn(text, j, q)
                field += text.slice(j, q + 1)
                j = q + 2
                continue
              }
              if (q + 1 >= n && !final) break // cannot tell `"` from `""` yet
              breaks += countIn(text, j, q)
              field += text.slice(j, q)
              j = q + 1
              closed = true
              break
            }
            if (!closed) {
              if (!final) break
              const at = line + countIn(text, pos, i)
              throw new AbsenceFileRefused({
                reason:
                  `Het bestand is afgebroken: het veld dat op regel ${at} met een aanhalingsteken ` +
                  "begint, wordt nergens afgesloten.",
                line: at,
              })
            }
            i = j
            atFieldStart = false
            continue
          }
          const c = text.charCodeAt(i)
          if (c === d.charCodeAt(0)) {
            fields.push(field)
            field = ""
            atFieldStart = true
            i++
          } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) === 10)) {
            i += c === 13 ? 2 : 1
            complete = true
            break
          } else if (c === 13 && i + 1 >= n && !final) {
            break
          } else {
            // Unquoted text, up to the next delimiter, quote or line break.
            let j = i + 1
            while (j < n) {
              const e = text.charCodeAt(j)
              if (e === 10 || e === 13 || e === d.charCodeAt(0)) break
              j++
            }
            field += text.slice(i, j)
            atFieldStart = false
            i = j
          }
        }
        if (!complete && !(final && i >= n)) break
        fields.push(field)
        out.push({ line, fields })
        line += breaks + 1
        pos = i
      }
      pending = text.slice(pos)
      return out
    }

    for await (const chunk of chunks) {
      bytesRead += chunk.byteLength
      const text = pending + decode(chunk, false)
      const records = consume(text, false)
      if (records.length > 0) yield records
    }
    const rest = pending + decode(new Uint8Array(0), true)
    const records = rest.length > 0 ? consume(rest, true) : []
    if (records.length > 0) yield records
    if (pending.length > 0) line += countIn(pending, 0, pending.length)
  }

  return {
    [Symbol.asyncIterator]: () => run(),
    delimiter: () => delimiter,
    encoding: () => encoding,
    bytesRead: () => bytesRead,
    lines: () => line - 1,
  }
}
