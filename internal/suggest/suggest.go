package suggest

import "strings"

// Closest is the candidate nearest to name, or "" when none is near enough
// to be a likely typo. Of candidates at the same distance, the first wins.
func Closest(name string, candidates []string) string {
	name = strings.ToLower(name)
	if len([]rune(name)) < 2 {
		return ""
	}
	limit := 1
	if len([]rune(name)) >= 7 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if len([]rune(c)) < 2 {
			continue
		}
		if d := Distance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b, in
// runes: the edits (insert, delete, replace, swap two neighbours) that turn
// one into the other.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
