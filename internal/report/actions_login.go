package report

// ActionsLogin is the login of the workflow token (GITHUB_TOKEN), which
// the ghcr-doctor Action comments with by default. The App counts marked
// comments by it as its own, and the Action counts the App's, so a pull
// request gets one report whichever of the two wrote it first.
const ActionsLogin = "github-actions[bot]"
