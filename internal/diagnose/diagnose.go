package diagnose

import (
	"sort"
	"strings"

	"github.com/ghcr-doctor/ghcr-doctor/internal/scan"
	"github.com/ghcr-doctor/ghcr-doctor/internal/workflow"
)

// Options tunes a diagnosis.
type Options struct {
	// WebURL is GitHub's web address, "https://github.com" unless Enterprise Server.
	WebURL string
}

func (o Options) web() string {
	if o.WebURL == "" {
		return "https://github.com"
	}
	return strings.TrimRight(o.WebURL, "/")
}

// Diagnose decides the causes of every GitHub Packages failure in the facts,
// one Diagnosis per package, ordered by package. It returns nil when the
// logs hold no finding.
func Diagnose(f *Facts, opts Options) []Diagnosis {
	groups := groupFindings(f)
	out := make([]Diagnosis, 0, len(groups))
	for _, g := range groups {
		out = append(out, diagnoseGroup(f, opts, g))
	}
	return out
}

// group is the findings of one package, with the job they first occurred in.
type group struct {
	pkg      PackageRef
	findings []scan.Finding
	log      *JobLog
}

func groupFindings(f *Facts) []*group {
	byKey := map[string]*group{}
	var order []string
	for i := range f.Jobs {
		jl := &f.Jobs[i]
		if jl.Scan == nil {
			continue
		}
		for _, fd := range jl.Scan.Findings {
			if fd.File == "" {
				fd.File = jl.Name
			}
			pkg := PackageRef{Registry: fd.Registry, Owner: fd.Owner, Name: fd.Package}
			key := strings.ToLower(pkg.Display())
			g, ok := byKey[key]
			if !ok {
				g = &group{pkg: pkg, log: jl}
				byKey[key] = g
				order = append(order, key)
			}
			g.findings = append(g.findings, fd)
		}
	}
	mergeBareRegistryGroups(byKey, &order)
	sort.Strings(order)
	out := make([]*group, 0, len(order))
	for _, k := range order {
		out = append(out, byKey[k])
	}
	return out
}

// mergeBareRegistryGroups folds findings that name only a registry (a login
// failure, say) into the one package of that registry, when there is exactly one.
func mergeBareRegistryGroups(byKey map[string]*group, order *[]string) {
	for _, key := range *order {
		g := byKey[key]
		if g.pkg.Owner != "" || g.pkg.Name != "" {
			continue
		}
		var target *group
		n := 0
		for _, other := range byKey {
			if other != g && strings.EqualFold(other.pkg.Registry, g.pkg.Registry) && (other.pkg.Owner != "" || other.pkg.Name != "") {
				target = other
				n++
			}
		}
		if n != 1 {
			continue
		}
		target.findings = append(g.findings, target.findings...)
		target.log = g.log
		delete(byKey, key)
	}
	kept := (*order)[:0]
	for _, k := range *order {
		if _, ok := byKey[k]; ok {
			kept = append(kept, k)
		}
	}
	*order = kept
}

// kindPriority orders kinds by how directly they name the cause.
var kindPriority = map[scan.Kind]int{
	scan.KindInvalidName:   0,
	scan.KindOwnerNotFound: 1,
	scan.KindAuthFailed:    2,
	scan.KindCreateDenied:  3,
	scan.KindWriteDenied:   4,
	scan.KindReadDenied:    5,
}

func primaryFinding(fs []scan.Finding) scan.Finding {
	best := fs[0]
	for _, fd := range fs[1:] {
		if kindPriority[fd.Kind] < kindPriority[best.Kind] {
			best = fd
		}
	}
	return best
}

// input bundles what the rules look at for one package.
type input struct {
	f       *Facts
	opts    Options
	pkg     PackageRef
	finding scan.Finding
	log     *JobLog
	wf      *workflow.File
	job     *workflow.Job
	token   tokenView
	login   *workflow.Login
}

func diagnoseGroup(f *Facts, opts Options, g *group) Diagnosis {
	in := &input{f: f, opts: opts, pkg: g.pkg, finding: primaryFinding(g.findings), log: g.log}
	if wf, ok := workflowFile(f); ok {
		in.wf = wf
		if jobs := wf.JobForRunName(g.log.Name); len(jobs) > 0 {
			in.job = jobs[0]
		}
	}
	in.token = packagesToken(f, in.job, g.log)
	in.login = findLogin(in.job, g.pkg.Registry)

	d := Diagnosis{Package: g.pkg, Findings: g.findings}
	d.Causes = decide(in)
	d.Checks = checks(in)
	d.Unknowns = unknowns(in)
	d.Annotations = annotations(in, d.Causes[0])
	return d
}

// findLogin returns the job's login to the registry, if it has one.
func findLogin(job *workflow.Job, registry string) *workflow.Login {
	if job == nil {
		return nil
	}
	logins := job.Logins()
	for i := range logins {
		if strings.EqualFold(logins[i].Registry, registry) {
			return &logins[i]
		}
	}
	return nil
}
