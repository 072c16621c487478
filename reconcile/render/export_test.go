package render

// ButtonDiff is buttonDiff, for the external tests.
var ButtonDiff = buttonDiff

// NamesLine is namesLine with the names shown as they are.
func NamesLine(names []string) string { return namesLine(names, func(s string) string { return s }) }

// Thousands is thousands, for the external tests.
var Thousands = thousands
