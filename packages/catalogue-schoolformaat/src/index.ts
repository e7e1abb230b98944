/**
 * The help catalogue of Schoolformaat, as its "Onze hulp" page lists it: one offer of the
 * organisation for both municipalities where its SMW verzuim holds the regie (Leidschendam-Voorburg
 * and Westland), so both plug-ins name this one definition. Ages as the page gives them: OJ for
 * pupils of 8 to 18, diagnostiek en behandeling from twelve.
 *
 * Source: Schoolformaat, "Project aanpak schoolverzuim Leidschendam-Voorburg en het Westland" and
 * "Onze hulp".
 *
 * @since 1.0.0
 */
import type { Plugin } from "@verzuimregie/plugin-sdk"

export const schoolformaatCatalogue: ReadonlyArray<Plugin.CatalogueEntry> = [
  {
    code: "ambulante-hulp-gezin",
    label: "Ambulante hulp in het gezin",
    description: "Gezinscoaches bekijken met jongere en ouders welke problemen spelen en wie kan helpen.",
  },
  {
    code: "jongerencoaching",
    label: "Jongerencoaching",
    description:
      "Begeleiding bij dagelijkse uitdagingen; competenties en praktische vaardigheden versterken.",
  },
  {
    code: "vuhp",
    label: "VUHP",
    description:
      "Praktische en intensieve ondersteuning op maat zodat kinderen veilig thuis kunnen blijven wonen.",
  },
  {
    code: "daghulp",
    label: "Daghulp",
    description: "Specialistische integrale behandelprogramma's, afgestemd met ouders en school.",
  },
  {
    code: "oj",
    label: "OJ",
    description:
      "Voorkomt vastlopen in het onderwijs bij gedragsproblemen, angst, somberheid, eetproblemen of lichamelijke klachten.",
    minAge: 8,
    maxAge: 18,
  },
  {
    code: "ouderschap-blijft",
    label: "Ouderschap Blijft",
    description: "Ondersteuning bij conflicten en afspraken tussen gescheiden ouders.",
  },
  {
    code: "begeleide-bezoeken",
    label: "Begeleide bezoeken",
    description: "Wanneer een kind uit huis is geplaatst.",
  },
  {
    code: "pleegzorg",
    label: "Pleegzorg",
    description: "Tijdelijk wonen in een ander gezin, bij pleegouders.",
  },
  {
    code: "gezinshuis",
    label: "Verblijf in een gezinshuis",
    description: "Intensieve begeleiding door gezinshuisouders wanneer thuis of pleegzorg niet meer kan.",
  },
  {
    code: "residentiele-voorziening",
    label: "Verblijf in een residentiële voorziening",
    description: "Een rustige en veilige plek om aan de toekomst te werken.",
  },
  {
    code: "spoedhulp",
    label: "Spoedhulp",
    description: "Als de veiligheid of ontwikkeling van een kind of gezin acuut in gevaar is.",
  },
  {
    code: "diagnostiek-en-behandeling",
    label: "Diagnostiek en behandeling",
    description: "Extra structuur en begeleiding, met GGZ- en LVB-experts.",
    minAge: 12,
  },
]
