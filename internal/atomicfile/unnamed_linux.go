package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"golang.org/x/sys/unix"
)

// writeUnnamed writes data to a file with no name in dir (O_TMPFILE),
// synced, and only then names it prefix and a random suffix: a process
// killed while it writes or syncs (the slow part) leaves nothing behind,
// where a named temporary file would stay. Where the file system or /proc
// does not allow it, it returns errUnnamed and the caller names the file
// from the start.
func writeUnnamed(dir, prefix string, data []byte) (string, error) {
	fd, err := unix.Open(dir, unix.O_TMPFILE|unix.O_RDWR|unix.O_CLOEXEC, 0o600)
	if err != nil {
		return "", errUnnamed
	}
	f := os.NewFile(uintptr(fd), prefix)
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return "", err
	}
	if err := syncFile(f); err != nil {
		return "", err
	}
	for range 100 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(rand.Uint64(), 36))
		err := unix.Linkat(unix.AT_FDCWD, "/proc/self/fd/"+strconv.Itoa(fd), unix.AT_FDCWD, name, unix.AT_SYMLINK_FOLLOW)
		if !errors.Is(err, fs.ErrExist) {
			if err != nil {
				return "", errUnnamed
			}
			return name, nil
		}
	}
	return "", errUnnamed
}
