# __NAME__

Regional workflow plug-in for verzuimregie (`__ID__`), scaffolded with `verzuimregie-create-plugin`.
Describe here, in your own words, the region's way of working and the public documents it follows;
this part is kept when the README is generated again.

- `src/index.ts`: the plug-in: manifest, settings, referral form, workflow, deadlines, help
  catalogue, report columns, demo course.
- `test/conformance.test.ts`: the conformance suite every plug-in must pass; it also checks that
  the part below the marker is generated from `src/index.ts` (`pnpm plugin-readme` writes it).
- `test/paths.test.ts`: the region's real paths, walked through the workflow.

See `docs/plugins.md` in the repository for the contract and how a region enables the plug-in.

<!-- BEGIN GENERATED: from src/index.ts by `pnpm plugin-readme`; edit the plug-in, not this part -->

**Id** `__ID__` · **version** 0.1.0 · **municipalities** __MUNICIPALITY__

> Regionale aanpak van schoolverzuim in __MUNICIPALITY__.

## Workflow

A case starts in `aangemeld` (Aangemeld).

| state | label | final | what it means |
| --- | --- | --- | --- |
| `aangemeld` | Aangemeld |  | Aanmelding ontvangen. |
| `in-behandeling` | In behandeling |  | De regiehouder voert de regie. |
| `afgesloten` | Afgesloten | yes | De leerling gaat weer naar school. |

| transition | label | from → to | who | requires | closes with |
| --- | --- | --- | --- | --- | --- |
| `oppakken` | Oppakken | `aangemeld` → `in-behandeling` | Casusregisseur, Coördinator | er is een regiehouder; toestemming is in orde voor de leeftijd van de leerling |  |
| `afsluiten` | Afsluiten | `in-behandeling` → `afgesloten` | Casusregisseur, Coördinator | contact gehad met aanmelder, ouder / verzorger, leerling; alle acties zijn afgerond of vervallen; de leerling gaat volledig naar school | Terug naar school, Verzuim opgelost, schoolgang loopt |

## Referral

- Who may refer: Coördinator passend onderwijs, Leerplichtambtenaar
- Kinds of verzuim taken on: all
- Consent: `referral`: under 16 the parents consent to the referral; from 16 the pupil does, and the parents are informed
- A referral for a pupil with an open case: refused (409)

The region's own fields (`extension`):

| field | title | help | required |
| --- | --- | --- | --- |
| `hulpvraag` | Hulpvraag | Wat is er volgens de aanmelder nodig? | yes |

## Settings

| setting | title | default | what it does |
| --- | --- | --- | --- |
| `firstContactWorkingDays` | Eerste contact binnen (werkdagen) | `5` | Werkdagen na aanmelding waarbinnen aanmelder, ouders en leerling gesproken zijn. |

## Deadlines

| deadline | label |
| --- | --- |
| `eerste-contact` | Eerste contact met de aanmelder |

## Help catalogue

| code | label | ages | description |
| --- | --- | --- | --- |
| `gesprekken` | Gesprekken |  | Gesprekken met leerling en ouders. |

Closing outcomes: Terug naar school, Verzuim opgelost, schoolgang loopt.

## Report columns

| column | header | kind | identifies the pupil |
| --- | --- | --- | --- |
| `casus` | Casus | text |  |
| `leerling` | Leerling | text | yes (left out of mail) |
| `geboortedatum` | Geboortedatum | date | yes (left out of mail) |
| `school` | School | text |  |
| `onderwijssoort` | Onderwijssoort | text |  |
| `status` | Status | text |  |
| `regiehouder` | Regiehouder | text |  |
| `aangemeld` | Aangemeld op | date |  |
| `aanmelder` | Aanmelder (rol) | text |  |
| `soort-verzuim` | Soort verzuim | text |  |
| `schoolgang` | Schoolgang | text |  |
| `thuis-sinds` | Thuis sinds | date |  |
| `open-acties` | Open acties | number |  |
| `eerstvolgende-actie` | Eerstvolgende actie uiterlijk | date |  |

## Demo course

The demo walks a synthetic case through `oppakken` (to `in-behandeling`), and closes it with `afsluiten`; its case workers hold the role Leerplichtambtenaar.

## Sources

None named in the manifest.

## Organisations

- Gemeente __MUNICIPALITY__ (gemeente)

Contact roles: Leerplichtambtenaar.

<!-- END GENERATED -->
