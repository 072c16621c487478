package reuse

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSizedReusesAndZeroes(t *testing.T) {
	buf := []int{1, 2, 3, 4}
	got := Sized(buf, 3)
	if diff := cmp.Diff([]int{0, 0, 0}, got); diff != "" {
		t.Errorf("Sized (-want +got):\n%s", diff)
	}
	if &got[0] != &buf[0] {
		t.Error("Sized did not reuse an array large enough")
	}
	if grown := Sized(buf, 9); len(grown) != 9 || &grown[0] == &buf[0] {
		t.Error("Sized did not allocate past the array")
	}
}

func TestEmptiedKeepsRoom(t *testing.T) {
	buf := make([]string, 2, 8)
	if got := Emptied(buf, 8); len(got) != 0 || cap(got) != 8 {
		t.Errorf("Emptied(cap 8, 8) = len %d cap %d, want 0 and 8", len(got), cap(got))
	}
	if got := Emptied(buf, 9); len(got) != 0 || cap(got) < 9 {
		t.Errorf("Emptied(cap 8, 9) = len %d cap %d, want 0 and at least 9", len(got), cap(got))
	}
}

func TestMapEmpties(t *testing.T) {
	m := map[string]int{"a": 1}
	if got := Map(m, 4); len(got) != 0 {
		t.Errorf("Map kept %v", got)
	}
	if got := Map[string, int](nil, 4); got == nil {
		t.Error("Map(nil) gave no map")
	}
}
