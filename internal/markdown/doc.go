// Package markdown is the one escaping policy for untrusted text in
// everything ghcr-doctor posts to GitHub: check run summaries, texts and
// annotations, pull-request comments, tracking issues, /ghcr replies and
// the Action's job summary and annotations.
//
// Job and step names, image names, log lines, branch and file names come
// from whoever wrote the workflow or pushed the branch, a fork included.
// Each reaches posted text through the one function for its context:
//
//   - Text and TextCell: untrusted text that must read as itself;
//   - Inline and InlineCell: the bot's own Markdown sentences, whose
//     untrusted parts were put in with Code or Text;
//   - Code, CodeCell and Fence: code spans and fenced blocks their content
//     cannot close;
//   - Site.Link: the only way to make a link, with one URL rule;
//   - Plain: fields GitHub does not render as Markdown (titles, annotations);
//   - Truncate, Redact and Neutralize, which the others apply.
//
// Every one of them redacts secrets, breaks @mentions and issue backlinks
// (#N, GH-N, owner/repo#N) and drops control characters.
package markdown
