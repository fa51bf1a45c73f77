package markdown

// SecretShapes are the secrets of issue 12 item 7, one line of a log each,
// with the secret that must not survive: the tests of every writer of
// posted text (here and in report, commands and action) feed them through.
var SecretShapes = []struct{ Name, Line, Secret string }{
	{"docker config auth", `{"auths":{"ghcr.io":{"auth": "b2N0b2NhdDpodW50ZXIy"}}}`, "b2N0b2NhdDpodW50ZXIy"},
	{"npm _authToken", "//npm.pkg.github.com/:_authToken=abcdef0123456789xyz", "abcdef0123456789xyz"},
	{"NODE_AUTH_TOKEN", "NODE_AUTH_TOKEN=s3cr3tvalue99 npm publish", "s3cr3tvalue99"},
	{"skopeo --creds", "skopeo copy --creds octocat:hunter2secret docker://a docker://b", "hunter2secret"},
	{"skopeo --dest-creds", "skopeo copy --dest-creds=octocat:hunter3secret a b", "hunter3secret"},
	{"curl -u", "curl -u octocat:hunter4secret https://ghcr.io/v2/", "hunter4secret"},
	{"JSON password", `{"username":"octocat","password":"hunter5secret"}`, "hunter5secret"},
	{"*_PASSWORD=", "REGISTRY_PASSWORD=hunter6secret make push", "hunter6secret"},
	{"--api-key", "dotnet nuget push x.nupkg --api-key hunter7secret --source github", "hunter7secret"},
	{"token:", "token: hunter8secret", "hunter8secret"},
	{"bare Basic", "header was Basic b2N0b2NhdDpodW50ZXI5 then", "b2N0b2NhdDpodW50ZXI5"},
	{"40-hex classic token", "using 0123456789abcdef0123456789abcdef01234567 to push", "0123456789abcdef0123456789abcdef01234567"},
	{"ghp_", "ghp_0123456789abcdefghijABCDEFGHIJ012345", "ghp_0123456789abcdefghijABCDEFGHIJ012345"},
	{"gho_", "x gho_16C7e42F292c6912E7710c838347Ae178B4a", "gho_16C7e42F292c6912E7710c838347Ae178B4a"},
	{"ghu_", "x ghu_16C7e42F292c6912E7710c838347Ae178B4a", "ghu_16C7e42F292c6912E7710c838347Ae178B4a"},
	{"ghs_", "x ghs_16C7e42F292c6912E7710c838347Ae178B4a", "ghs_16C7e42F292c6912E7710c838347Ae178B4a"},
	{"ghr_", "x ghr_16C7e42F292c6912E7710c838347Ae178B4a", "ghr_16C7e42F292c6912E7710c838347Ae178B4a"},
	{"github_pat_", "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789", "github_pat_11ABCDEFG0abcdefghijkl_mnopqrstuvwxyz0123456789"},
}
