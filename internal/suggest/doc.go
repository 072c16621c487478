// Package suggest is the tool's one did-you-mean: Closest picks, among the
// names a place accepts (a command, a flag, a key of menus.yaml or
// wxmenu.yaml, a button type), the one a mistyped name most likely meant.
//
// Distance is the optimal string alignment distance in runes: Levenshtein
// plus the transposition of two adjacent runes, which is the commonest typo
// ("fiel" for "file"). A name is suggested only when it is near enough to
// be a typo rather than another word: one edit for names of up to six
// letters, two from seven. Case is ignored, and one-letter names (-f) are
// never suggested, nor suggested for: one letter says too little.
package suggest
