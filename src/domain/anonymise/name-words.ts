/**
 * Names that are also ordinary English words: "Brown", "Hope", "Will", "May", "Example", and the
 * number words a demonstration name is made of ("Testchild Six Example"). A part of
 * a recorded name that is one of these is looked for alone only when it is written as a name is
 * (capitalised, and not where any word is capitalised: the start of a sentence), so "for example"
 * and "we will" are not reported for a family called Example or a child called Will. The whole
 * name ("Testmother Example") is still found in any case.
 */
const NAME_WORDS = new Set(
  `
  example sample test
  will may hope grace faith joy patience charity mercy prudence honour honor constance
  brown green white black grey gray gold golden silver scarlet
  young old long short little small sharp swift keen wise free good best bright rich strong
  wood woods field fields hill hills lane ford brook brooks marsh moss stone banks bank dale vale
  cross hall house street park parks church chapel bridge bridges well wells waters pool lake
  king knight lord bishop dean duke earl prince queen baron noble squire page
  baker cook mason carter turner walker hunter fisher shepherd archer butler barber porter potter
  miller weaver painter gardener farmer singer dyer glover tanner taylor mercer slater thatcher
  bell bird swan fox wolf lamb crow drake hawk finch wren robin starling nightingale sparrow
  rose lily ivy holly hazel heather daisy poppy violet iris jasmine olive pearl ruby amber crystal
  jade coral fern willow rowan saffron
  april june august summer autumn winter spring dawn eve day night noon
  frank bill jack pat rob sue mark art chase grant miles sterling penny sunny ash sky river rain
  storm frost snow north south west east
  price rice love power ward warren cash hardy hart moody gay merry jolly
  reading bath
  one two three four five six seven eight nine ten eleven twelve twenty hundred
  `
    .split(/\s+/)
    .filter((w) => w !== ''),
);

/** Whether a name part is also an ordinary English word. */
export function isNameWord(part: string): boolean {
  return NAME_WORDS.has(part.toLowerCase().replace(/['’]s$/, ''));
}
