// Package textwidth is the one table of how wide text is drawn: in a
// terminal's columns (the plan's aligned tables) and in the units a phone
// cuts menu names by, which are the same count. A character is as wide as
// Unicode's East Asian Width says (golang.org/x/text/width): wide and
// fullwidth characters (CJK ideographs, kana, hangul, fullwidth forms,
// emoji) take 2, combining marks and invisible format characters 0,
// everything else 1.
package textwidth
