/**
 * Unzips an .xlsx (a ZIP package) with Node's zlib, independently of SheetJS: every part's name
 * and its decompressed text, so a test can search the XML a spreadsheet program would read.
 */
import { inflateRawSync } from "node:zlib"

export interface Part {
  readonly name: string
  readonly text: string
}

export const unzip = (file: Uint8Array): Array<Part> => {
  const buf = Buffer.from(file)
  // End of central directory: the last 0x06054b50 signature (the archive comment is at most 64 kB).
  let eocd = -1
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i
      break
    }
  }
  if (eocd < 0) throw new Error("not a ZIP file: no end of central directory")
  const entries = buf.readUInt16LE(eocd + 10)
  let at = buf.readUInt32LE(eocd + 16)
  const parts: Array<Part> = []
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`)
    const method = buf.readUInt16LE(at + 10)
    const compressed = buf.readUInt32LE(at + 20)
    const nameLength = buf.readUInt16LE(at + 28)
    const extraLength = buf.readUInt16LE(at + 30)
    const commentLength = buf.readUInt16LE(at + 32)
    const local = buf.readUInt32LE(at + 42)
    const name = buf.subarray(at + 46, at + 46 + nameLength).toString("utf8")
    const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28)
    const data = buf.subarray(dataStart, dataStart + compressed)
    const content = method === 8 ? inflateRawSync(data) : method === 0 ? data : undefined
    if (content === undefined) throw new Error(`${name}: compression method ${method} unknown`)
    parts.push({ name, text: content.toString("utf8") })
    at += 46 + nameLength + extraLength + commentLength
  }
  return parts
}
