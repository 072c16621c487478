package cmdline

// closest is the candidate nearest to name, or "" when none is near enough
// to be a likely typo: at most one edit (a transposition counts as one) for
// short names, two for names of seven letters or more. Single-letter names
// are never suggested, nor suggested for: one letter says too little.
func closest(name string, candidates []string) string {
	if len(name) < 2 {
		return ""
	}
	limit := 1
	if len(name) >= 7 {
		limit = 2
	}
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if len(c) < 2 {
			continue
		}
		if d := editDistance(name, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Closest is closest for commands: the command name nearest to a mistyped
// one, or "".
func Closest(name string, candidates []string) string { return closest(name, candidates) }

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and transpositions of neighbours.
func editDistance(a, b string) int {
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
