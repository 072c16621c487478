//go:build !linux

package atomicfile

// writeUnnamed is Linux's O_TMPFILE; elsewhere temporary files are named
// from the start.
func writeUnnamed(dir, prefix string, data []byte) (string, error) {
	return "", errUnnamed
}
