package preflight

import "testing"

// BenchmarkAnalyzeGolden analyses every workflow of the golden set once per
// iteration (the cost of a repository's worth of workflows in a check run).
func BenchmarkAnalyzeGolden(b *testing.B) {
	cases := loadGolden(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, c := range cases {
			if _, err := Analyze(c.input); err != nil {
				b.Fatal(err)
			}
		}
	}
}
