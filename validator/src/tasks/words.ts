// The word list the OCR and VAD generators draw text from. Which words, in which order, at which size and voice comes
// from the validator's private stream, so a provider cannot precompute the evaluation inputs from this list.
export const WORDS: readonly string[] = (
  "about above across after again almost along also always among animal answer apple around autumn basket because " +
  "before behind below between bicycle black bottle bread bridge bright brother brown butter button camera candle " +
  "carpet castle center chair cheese cherry circle city clock cloud coffee copper corner cotton country cousin " +
  "danger desert dinner doctor dollar dragon drawer during early earth eleven engine evening every family farmer " +
  "father feather finger flower forest forty fourteen friday friend garden giant glass golden grass green guitar " +
  "hammer harbor heavy honey horse hundred island jacket jungle kettle kitchen ladder lemon letter library light " +
  "lizard magnet marble market meadow metal middle minute mirror monday monkey morning mother mountain music " +
  "needle never night number ocean office orange outside paper parrot pencil people pepper picture pillow planet " +
  "pocket potato powder purple puzzle question rabbit radio rainbow river rocket saddle salmon seven shadow silver " +
  "simple sister sixty spider spring square station stone summer sunday table tiger today tomato tower travel " +
  "turtle twelve under valley velvet village violin water window winter wizard wooden yellow yesterday zebra"
).split(" ");
