/**
 * Name lists for synthetic people: given names common among Dutch children and adults (with
 * Dutch, Moroccan, Turkish, Surinamese and Polish backgrounds) and common Dutch family names,
 * their tussenvoegsel split off as `prefix`.
 *
 * The names are common; the people are not. Every combination the generator makes is synthetic,
 * and any likeness to a real person is chance.
 *
 * @since 0.1.0
 */

/** A family name with its tussenvoegsel ("van der", "de", "ter"), which Dutch lists sort under. */
export interface FamilyName {
  readonly prefix?: string
  readonly name: string
}

export interface NameSet {
  readonly boys: ReadonlyArray<string>
  readonly girls: ReadonlyArray<string>
  readonly men: ReadonlyArray<string>
  readonly women: ReadonlyArray<string>
  readonly families: ReadonlyArray<FamilyName>
}

export type Background = "nederlands" | "marokkaans" | "turks" | "surinaams" | "pools"

/** A comma-separated list, written compactly; entries are trimmed. */
const list = (text: string): ReadonlyArray<string> =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)

const families = (text: string): ReadonlyArray<FamilyName> => list(text).map(fam)

const fam = (full: string): FamilyName => {
  const match = /^((?:van der|van den|van de|van 't|van|de|den|der|ter|te|in 't|op de) )?(.+)$/.exec(full)
  const prefix = match?.[1]?.trim()
  const name = match?.[2] ?? full
  return prefix === undefined ? { name } : { prefix, name }
}

export const names: Readonly<Record<Background, NameSet>> = {
  nederlands: {
    boys: list(`
      Daan, Sem, Lucas, Levi, Finn, Milan, Noah, Luuk, Bram, Jesse, Thijs, Sven, Ruben, Stijn, Tim,
      Lars, Jayden, Mees, Thomas, Gijs, Teun, Siem, Julian, Jens, Hugo, Max, Tygo, Niels, Wout, Bas,
      Jurre, Floris
    `),
    girls: list(`
      Emma, Julia, Mila, Tess, Sophie, Zoë, Sara, Nora, Fenna, Lotte, Eva, Saar, Noor, Liv, Anna,
      Fleur, Isa, Lieke, Roos, Jasmijn, Femke, Sanne, Lynn, Evi, Maud, Esmee, Iris, Yara, Nina,
      Floor, Britt, Lisa
    `),
    men: list(`
      Mark, Jeroen, Dennis, Bas, Sander, Richard, Martijn, Erik, Pieter, Joost, Marco, Wouter, Rob,
      Arjen, Frank, Maarten, Niels, Hans, Paul, Michiel
    `),
    women: list(`
      Anouk, Marieke, Sanne, Linda, Petra, Esther, Karin, Ingrid, Yvonne, Monique, Marloes, Eline,
      Wendy, Judith, Annemiek, Chantal, Mirjam, Ilse, Janneke, Femke
    `),
    families: families(`
      de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit, Meijer,
      de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker, Brouwer, de Wit,
      Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok, Jacobs, de Haan, Vermeulen,
      van den Heuvel, van der Veen, van den Broek, de Bruijn, van der Heijden, Schouten, van Beek,
      Willems, van Vliet, van de Ven, Hoekstra, Maas, Verhoeven, Koster, van Dam, van der Wal, Prins,
      Blom, Huisman, de Lange, Kuipers, van Wijk, Post, Veenstra, Kramer, ter Horst, ter Haar,
      van 't Hof, Verhoef, van Rijn, van der Zwan, Zwart, Scholten, de Ruiter, Groen, van Es, Boers,
      Wijnands, van der Valk, Hofman, Vink, Lammers, den Hartog
    `),
  },
  marokkaans: {
    boys: list("Mohammed, Adam, Ayoub, Amir, Bilal, Yassin, Ilias, Zakaria, Rayan, Anas, Hamza"),
    girls: list("Yasmina, Aya, Imane, Salma, Nisrine, Malak, Hiba, Sara, Rania, Ikram, Douae"),
    men: list("Mohamed, Abdelkader, Rachid, Mustafa, Khalid, Said, Hassan, Youssef"),
    women: list("Fatima, Khadija, Naima, Samira, Malika, Latifa, Hanane, Souad"),
    families: families(`
      El Amrani, Bouzid, Azzouzi, Ouali, El Idrissi, Benali, Chaoui, Boukhari, Ait Taleb,
      El Khattabi, Haddouchi, Ouahabi, Tahiri, Zerouali
    `),
  },
  turks: {
    boys: list("Yusuf, Emir, Mert, Kerem, Burak, Efe, Ömer, Emre, Arda, Eymen, Kaan"),
    girls: list("Elif, Zeynep, Ecem, Büşra, Esra, Defne, Ela, Azra, Melek, Nisa, Hira"),
    men: list("Ahmet, Mehmet, Mustafa, Hüseyin, Ali, Murat, Hasan, Osman"),
    women: list("Ayşe, Hatice, Emine, Fatma, Zehra, Gül, Sevgi, Dilek"),
    families: families(`
      Yılmaz, Kaya, Demir, Şahin, Çelik, Öztürk, Aydın, Arslan, Doğan, Yıldız, Koç, Kurt, Özdemir,
      Aksoy
    `),
  },
  surinaams: {
    boys: list(`
      Rohan, Vikash, Ravi, Dewayne, Jayvano, Shaquille, Giovanni, Rishi, Damian, Jermaine
    `),
    girls: list(`
      Priya, Anjali, Shanice, Naomi, Chelsey, Kiara, Sharmila, Jamila, Samantha, Nadia
    `),
    men: list("Rajesh, Roy, Ricardo, Anand, Errol, Stanley, Kishan, Humphrey"),
    women: list("Sharda, Natasha, Sunita, Marcia, Jennifer, Sandra, Reshma, Gisela"),
    families: families(`
      Ramdin, Sewnath, Mahabier, Bisoendial, Kartosen, Kromodimedjo, Jagesar, Ramsaran, Pinas,
      Kanhai, Doelwijt, Nelom, Sabajo, Amatsaleh
    `),
  },
  pools: {
    boys: list("Jakub, Kacper, Szymon, Mateusz, Filip, Antoni, Wojciech, Oliwer, Igor"),
    girls: list("Zuzanna, Lena, Maja, Wiktoria, Amelia, Hanna, Julia, Oliwia, Zofia"),
    men: list("Tomasz, Piotr, Krzysztof, Marcin, Paweł, Łukasz, Grzegorz, Adam"),
    women: list("Agnieszka, Katarzyna, Magdalena, Joanna, Monika, Anna, Ewa, Małgorzata"),
    // Names without a masculine/feminine form (Kowalski/Kowalska), so one family shares one name.
    families: ["Nowak", "Wójcik", "Kowalczyk", "Mazur", "Krawczyk", "Zając", "Pawlak", "Sikora", "Baran"].map(
      fam,
    ),
  },
}

/** Roughly how often each background turns up in the generated population. */
export const backgroundWeights: ReadonlyArray<readonly [Background, number]> = [
  ["nederlands", 72],
  ["marokkaans", 9],
  ["turks", 8],
  ["surinaams", 6],
  ["pools", 5],
]
