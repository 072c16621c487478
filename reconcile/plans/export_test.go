package plans

// MaxPlanBytes is the size cap the external tests check.
const MaxPlanBytes = maxPlanBytes

// ReadDocument is ReadFile of a document in memory; its errors do not name
// a file.
var ReadDocument = readFile

// SealUnchecked seals f without the checks NewFile makes, so that a test
// can save what NewFile refuses and see ReadFile refuse it.
func SealUnchecked(f *File) { f.FileDigest, _ = f.digest() }
