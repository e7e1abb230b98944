import { Effect, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { Cli } from "../src/index.js"

/** A small tree like the admin's: a group with a command of every kind of option. */
const seen: Array<unknown> = []
const create = Cli.command("create", {
  summary: "maakt iets aan",
  options: {
    organisation: Cli.text("organisation", { placeholder: "<org-id>", description: "de organisatie" }),
    limit: Cli.optional(
      Cli.option("limit", Cli.Integer({ min: 1, max: 500 }), {
        placeholder: "<n>",
        description: "regels per pagina",
        expected: "een geheel getal van 1 tot en met 500",
      }),
    ),
    kind: Cli.withDefault(
      Cli.option("kind", Cli.oneOf("person", "service"), {
        placeholder: "person|service",
        description: "soort",
        expected: "person of service",
      }),
      "person",
    ),
    all: Cli.flag("all", "alles"),
    roles: Cli.optional(
      Cli.option("role", Cli.CommaList, { placeholder: "<rol>[,<rol>]", description: "rollen" }),
    ),
  },
  args: Cli.args("<id>", Schema.NumberFromString, { description: "een id", expected: "een getal", max: 1 }),
  run: (options, ids) =>
    Effect.sync(() => {
      seen.push({ options, ids })
    }),
})
const failing = Cli.command("fail", {
  summary: "mislukt",
  options: { how: Cli.text("how", { placeholder: "<hoe>", description: "hoe" }) },
  run: async (o) => {
    if (o.how === "gebruik") throw new Cli.UsageError({ message: "--how: zo niet" })
    if (o.how === "database") throw new Cli.Unavailable({ message: "geen database" })
    if (o.how === "code") return 7
    throw new Cli.Failed({ message: "het werk mislukte" })
  },
})
const root = Cli.group("proef", {
  summary: "een proef",
  commands: [Cli.group("thing", { summary: "dingen", commands: [create, failing] })],
})

const run = async (...argv: Array<string>) => {
  const out: Array<string> = []
  const err: Array<string> = []
  const code = await Effect.runPromise(
    Cli.run(root, argv, { out: (t) => out.push(t), err: (t) => err.push(t) }),
  )
  return { code, out: out.join("\n"), err: err.join("\n") }
}

describe("parsing", () => {
  it("decodes options by their schemas, both --name value and --name=value, and the arguments", async () => {
    seen.length = 0
    const ran = await run(
      "thing",
      "create",
      "--",
      "--organisation=org_1",
      "--limit",
      "20",
      "--all",
      "--role",
      "a, b,",
      "42",
    )
    expect(ran).toEqual({ code: 0, out: "", err: "" })
    expect(seen).toEqual([
      {
        options: { organisation: "org_1", limit: 20, kind: "person", all: true, roles: ["a", "b"] },
        ids: [42],
      },
    ])
  })

  it("takes the last of an option given twice, as a script's default and then the operator's", async () => {
    seen.length = 0
    await run("thing", "create", "--organisation", "a", "--organisation", "b")
    expect(seen).toMatchObject([{ options: { organisation: "b" } }])
  })

  it("names an unknown option and suggests the closest real one", async () => {
    const ran = await run("thing", "create", "--organisationId", "org_1")
    expect(ran.code).toBe(2)
    expect(ran.err).toContain("thing create: Onbekende optie --organisationId. Bedoelt u --organisation?")
    // Its value is not taken for an argument.
    expect(ran.err).not.toContain("org_1")
    expect((await run("thing", "create", "--organisation", "x", "--limt", "5")).err).toContain(
      "Onbekende optie --limt. Bedoelt u --limit?",
    )
    expect((await run("thing", "create", "--organisation", "x", "--zzzzzz")).err).toContain(
      "Onbekende optie --zzzzzz.\n",
    )
    expect((await run("thing", "create", "--organisation", "x", "-v")).err).toContain("Onbekende optie -v.")
  })

  it("names a missing option, a missing value and a wrong value with the expected form; all at once", async () => {
    const ran = await run("thing", "create", "--limit", "veel", "--kind", "robot", "--role")
    expect(ran.code).toBe(2)
    expect(ran.err.split("\n")).toEqual(
      expect.arrayContaining([
        'thing create: --limit: verwacht een geheel getal van 1 tot en met 500, niet "veel"',
        'thing create: --kind: verwacht person of service, niet "robot"',
        "thing create: --role: mist een waarde; geef <rol>[,<rol>]",
        "thing create: --organisation: verplicht; geef <org-id>: de organisatie",
      ]),
    )
    expect(ran.err).toContain(
      "Gebruik: proef thing create --organisation <org-id> [--limit <n>] [--kind person|service] [--all] [--role <rol>[,<rol>]] [<id>]",
    )
    expect(ran.err).toContain("Meer uitleg: proef thing create --help")
    expect((await run("thing", "create", "--organisation", "x", "--limit", "501")).err).toContain(
      '--limit: verwacht een geheel getal van 1 tot en met 500, niet "501"',
    )
    expect((await run("thing", "create", "--organisation", "x", "--all=ja")).err).toContain(
      '--all: is een schakelaar en neemt geen waarde ("ja")',
    )
  })

  it("checks the arguments: their form and their number", async () => {
    expect((await run("thing", "create", "--organisation", "x", "abc")).err).toContain(
      '<id>: verwacht een getal, niet "abc"',
    )
    expect((await run("thing", "create", "--organisation", "x", "1", "2")).err).toContain(
      "<id>: hoogstens 1, niet 2 (1 2)",
    )
    expect((await run("thing", "fail", "--how", "x", "extra")).err).toContain("onverwacht argument: extra")
  })

  it("names an unknown command with the closest one, and asks for one when none is given", async () => {
    const typo = await run("thing", "creat")
    expect(typo.code).toBe(2)
    expect(typo.err).toContain("thing: Onbekende opdracht creat. Bedoelt u create? Opdrachten: create, fail")
    const none = await run()
    expect(none.code).toBe(2)
    expect(none.err).toContain("proef: geef een opdracht: thing")
  })
})

describe("help", () => {
  it("comes first: with --help anywhere, the help of the command is printed and nothing runs", async () => {
    seen.length = 0
    const ran = await run("thing", "create", "--bogus", "--limit", "x", "--help")
    expect(ran.code).toBe(0)
    expect(seen).toEqual([])
    expect(
      ran.out,
    ).toBe(`Gebruik: proef thing create --organisation <org-id> [--limit <n>] [--kind person|service] [--all] [--role <rol>[,<rol>]] [<id>]

Maakt iets aan

Opties:
  --organisation <org-id>  de organisatie (verplicht)
  --limit <n>              regels per pagina
  --kind person|service    soort (standaard person)
  --all                    alles
  --role <rol>[,<rol>]     rollen
  [<id>]                   een id
  --help                   deze hulptekst

Afsluitcodes: 0 gelukt, 1 mislukt (bijvoorbeeld een ongeldige aanmelding of configuratie), 2 verkeerd gebruik van de opdracht, 3 database niet bereikbaar.`)
  })

  it("of a group lists every command under it", async () => {
    const ran = await run("-h")
    expect(ran.code).toBe(0)
    expect(ran.out).toContain("Opdrachten:\n  thing create  maakt iets aan\n  thing fail    mislukt")
    expect(ran.out).toContain("Meer over één opdracht: proef <opdracht> --help")
  })
})

describe("exit codes", () => {
  it("are 0 done, 1 failed, 2 wrong use, 3 unavailable, or the command's own", async () => {
    expect(await run("thing", "fail", "--how", "werk")).toEqual({
      code: 1,
      out: "",
      err: "het werk mislukte",
    })
    const usage = await run("thing", "fail", "--how", "gebruik")
    expect(usage.code).toBe(2)
    expect(usage.err).toContain("thing fail: --how: zo niet\nGebruik: proef thing fail --how <hoe>")
    expect(await run("thing", "fail", "--how", "database")).toEqual({
      code: 3,
      out: "",
      err: "geen database",
    })
    expect((await run("thing", "fail", "--how", "code")).code).toBe(7)
  })
})

describe("closest", () => {
  it("suggests by edit distance or by prefix, and nothing for a word far from all", () => {
    expect(Cli.closest("organisationId", ["org", "name"])).toBe("org")
    expect(Cli.closest("expires-day", ["expires-days", "label"])).toBe("expires-days")
    expect(Cli.closest("verbose", ["region", "kind", "on"])).toBeUndefined()
  })
})

describe("describe", () => {
  it("lists every command with its options and a value each refuses", () => {
    const described = Cli.describe(root)
    expect(described.map((c) => c.name)).toEqual(["proef thing create", "proef thing fail"])
    expect(described[0]?.options).toContainEqual({
      name: "limit",
      required: false,
      flag: false,
      refuses: "x",
    })
    expect(described[0]?.options).toContainEqual({
      name: "organisation",
      required: true,
      flag: false,
      refuses: undefined,
    })
  })
})
