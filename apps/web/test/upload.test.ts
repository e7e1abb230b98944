import { randomBytes } from "node:crypto"
import { readdir, readFile, stat } from "node:fs/promises"
import { tmpdir } from "node:os"
import { describe, expect, it } from "vitest"
import { boundaryOf, receiveUpload, UploadRefused } from "../src/Upload.js"

const URL_ = "http://127.0.0.1/verzuim/importeren"

/** A browser's multipart body for these fields and one file, as bytes with its content type. */
const multipart = async (fields: Record<string, string>, file?: { name: string; content: Uint8Array }) => {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  if (file !== undefined) form.append("bestand", new Blob([file.content]), file.name)
  const request = new Request(URL_, { method: "POST", body: form })
  return {
    contentType: request.headers.get("content-type") as string,
    bytes: new Uint8Array(await request.arrayBuffer()),
  }
}

/** A request whose body arrives in the given chunk sizes (so delimiters straddle chunks). */
const chunked = (body: { contentType: string; bytes: Uint8Array }, sizes: () => number, cut?: number) => {
  const bytes = cut === undefined ? body.bytes : body.bytes.subarray(0, cut)
  let at = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      const size = Math.max(1, sizes())
      controller.enqueue(bytes.slice(at, at + size))
      at += size
    },
  })
  return new Request(URL_, {
    method: "POST",
    headers: { "content-type": body.contentType },
    body: stream,
    duplex: "half",
  } as RequestInit)
}

const uploadDirs = async () =>
  (await readdir(tmpdir())).filter((name) => name.startsWith("verzuimregie-upload-")).sort()

// Bytes that look like the start of a delimiter, line breaks and a Windows-1252 "ë" (0xEB).
const TRICKY = Buffer.concat([
  Buffer.from("leerlingnummer;datum;code\r\n12345;01-09-2026;O\r\n--\r\n-", "latin1"),
  Buffer.from([0xeb, 0x0d, 0x0a, 0x2d, 0x2d]),
  randomBytes(70_000),
  Buffer.from("\r\n"),
])

describe("a file upload from a page form", () => {
  it("keeps the fields and writes the file to disk byte for byte, in chunks of any size", async () => {
    const body = await multipart(
      {
        _csrf: "token",
        mapping: "magister-voorbeeld",
        from: "2026-08-24",
        to: "2026-11-13",
        skipBadRows: "ja",
      },
      { name: "verzuim.csv", content: TRICKY },
    )
    for (const sizes of [() => 1 + Math.floor(Math.random() * 7), () => 65_536, () => body.bytes.length]) {
      const upload = await receiveUpload(chunked(body, sizes), {
        fileField: "bestand",
        maxFileBytes: 1_000_000,
      })
      expect(upload.fields).toEqual({
        _csrf: "token",
        mapping: "magister-voorbeeld",
        from: "2026-08-24",
        to: "2026-11-13",
        skipBadRows: "ja",
      })
      expect(upload.file?.name).toBe("verzuim.csv")
      expect(upload.file?.size).toBe(TRICKY.length)
      const written = await readFile(upload.file?.path as string)
      expect(written.equals(TRICKY)).toBe(true)
      expect((await stat(upload.file?.path as string)).mode & 0o777).toBe(0o600)
      await upload.cleanup()
      await expect(stat(upload.file?.path as string)).rejects.toThrow()
    }
  })

  it("has no file when the file input was left empty", async () => {
    const body = await multipart({ _csrf: "t" }, { name: "", content: new Uint8Array() })
    const upload = await receiveUpload(
      chunked(body, () => 100),
      { fileField: "bestand", maxFileBytes: 10 },
    )
    expect(upload.file).toBeUndefined()
    expect(upload.fields._csrf).toBe("t")
    await upload.cleanup()
  })

  it("refuses a file past the limit and leaves nothing on disk", async () => {
    const before = await uploadDirs()
    const body = await multipart({ _csrf: "t" }, { name: "groot.csv", content: randomBytes(50_000) })
    const refused = await receiveUpload(
      chunked(body, () => 4096),
      {
        fileField: "bestand",
        maxFileBytes: 49_999,
      },
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(UploadRefused)
    expect((refused as UploadRefused).reason).toBe("te-groot")
    expect(await uploadDirs()).toEqual(before)
  })

  it("writes nothing when the form's token is refused before the file", async () => {
    const before = await uploadDirs()
    const body = await multipart({ _csrf: "vals" }, { name: "a.csv", content: TRICKY })
    let seen: Record<string, string> = {}
    const refused = await receiveUpload(
      chunked(body, () => 1000),
      {
        fileField: "bestand",
        maxFileBytes: 1_000_000,
        beforeFile: (fields) => {
          seen = { ...fields }
          return false
        },
      },
    ).catch((e: unknown) => e)
    expect(seen).toEqual({ _csrf: "vals" })
    expect((refused as UploadRefused).reason).toBe("geweigerd")
    expect(await uploadDirs()).toEqual(before)
  })

  it("says a truncated body did not arrive whole, and leaves nothing on disk", async () => {
    const before = await uploadDirs()
    const body = await multipart({ _csrf: "t" }, { name: "a.csv", content: TRICKY })
    const refused = await receiveUpload(
      chunked(body, () => 1000, body.bytes.length - 30),
      {
        fileField: "bestand",
        maxFileBytes: 1_000_000,
      },
    ).catch((e: unknown) => e)
    expect((refused as UploadRefused).reason).toBe("afgebroken")
    expect(await uploadDirs()).toEqual(before)
  })

  it("is no upload without a multipart content type", async () => {
    expect(boundaryOf("application/x-www-form-urlencoded")).toBeUndefined()
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe("a b")
    const refused = await receiveUpload(
      new Request(URL_, { method: "POST", body: "a=b", headers: { "content-type": "text/plain" } }),
      { fileField: "bestand", maxFileBytes: 10 },
    ).catch((e: unknown) => e)
    expect((refused as UploadRefused).reason).toBe("geen-formulier")
  })
})
