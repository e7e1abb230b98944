import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import * as HttpMeaning from "../src/HttpMeaning.js"

class Gone extends Schema.TaggedError<Gone>()(
  "Gone",
  { detail: Schema.String },
  HttpMeaning.status(404, {}, (error: { readonly detail: string }) => ({ detail: error.detail })),
) {}

class Unannotated extends Schema.TaggedError<Unannotated>()("Unannotated", {}) {}

describe("HttpMeaning.problemOf", () => {
  it("reads the problem a failure's class declares, for doors other than the API", () => {
    expect(HttpMeaning.problemOf(new Gone({ detail: "Bestaat niet." }))).toEqual({
      status: 404,
      detail: "Bestaat niet.",
    })
  })

  it("has none for a failure without a meaning, or for something that is not a failure", () => {
    expect(HttpMeaning.problemOf(new Unannotated())).toBeUndefined()
    expect(HttpMeaning.problemOf(new Error("x"))).toBeUndefined()
    expect(HttpMeaning.problemOf(undefined)).toBeUndefined()
    expect(HttpMeaning.problemOf("Gone")).toBeUndefined()
  })
})
