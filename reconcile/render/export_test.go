package render

// ButtonDiff is buttonDiff, for the external tests.
var ButtonDiff = buttonDiff
