# Build targets for `sam build` (serverless.template functions with Metadata: BuildMethod: makefile).
# Native AOT needs clang and zlib1g-dev (Debian/Ubuntu) or clang and zlib-devel (Amazon Linux); build on a glibc no
# newer than provided.al2023's (for example in an Amazon Linux 2023 container) so the binary runs on Lambda.
# Node.js with npm must be on PATH too: the build compiles the web console (Functions/Console, docs/decisions/0310).

# The three functions are the same app with different settings: the callback function's turn on /events
# (docs/decisions/0600), the task events function's stream its answers (docs/decisions/0332).
build-ApiFunction build-CallbackFunction build-TaskEventsFunction:
	dotnet publish Functions/Functions.csproj -c Release -r linux-x64 -p:PublishAot=true -o "$(ARTIFACTS_DIR)/publish"
	cp "$(ARTIFACTS_DIR)/publish/SdServerless.Functions" "$(ARTIFACTS_DIR)/bootstrap"
	rm -rf "$(ARTIFACTS_DIR)/publish"
