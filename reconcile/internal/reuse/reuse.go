// Package reuse resizes tables kept between computations (the planner's
// scratch, the audience table's Scratch), so each use takes the room the
// last one grew instead of allocating its own.
package reuse

// Sized returns buf with n zero elements, reusing its array when it is
// large enough.
func Sized[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

// Emptied returns buf emptied, with room for n elements.
func Emptied[T any](buf []T, n int) []T {
	if cap(buf) < n {
		return make([]T, 0, n)
	}
	return buf[:0]
}

// Map returns m emptied, or a new map sized for n keys when m is nil.
func Map[K comparable, V any](m map[K]V, n int) map[K]V {
	if m == nil {
		return make(map[K]V, n)
	}
	clear(m)
	return m
}
