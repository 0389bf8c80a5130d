import Testing
@testable import DockerlintShell

private func pm(_ s: String) -> PackageCommand {
    guard let c = firstPackageCommand(s) else {
        Issue.record("no package command in \(s)")
        return PackageCommand(manager: .npm, invocation: ShellParser.parse("x").commands[0], subcommand: [], action: .other, options: [], operands: [])
    }
    return c
}

private func unpinned(_ s: String) -> [String] { pm(s).unpinnedTargets.map(\.text) }

@Suite struct AptTests {
    @Test func optionsAndTargets() {
        let c = pm("apt-get -o Acquire::Retries=3 -t bookworm-backports install -qq --no-install-recommends curl=7.88.1-10 git ./local.deb")
        #expect(c.manager == .aptGet)
        #expect(c.subcommand == ["install"])
        #expect(c.action == .install)
        #expect(c.optionValues("t") == ["bookworm-backports"])
        #expect(c.optionValues("o") == ["Acquire::Retries=3"])
        #expect(c.targets.map(\.text) == ["curl=7.88.1-10", "git", "./local.deb"])
        #expect(c.targets[0].name == "curl" && c.targets[0].version == "=7.88.1-10")
        #expect(c.unpinnedTargets.map(\.text) == ["git"])
        #expect(c.isNonInteractive)
        #expect(c.installsRecommends == false)
        #expect(c.options.first { $0.name == "t" }?.valueWord?.source == "bookworm-backports")
    }

    @Test(arguments: [
        ("apt-get install -y x", true), ("apt-get install --yes x", true), ("apt-get install --assume-yes x", true),
        ("apt-get install -qq x", true), ("apt-get install -q -q x", true), ("apt-get install -q=2 x", true),
        ("apt-get install -q x", false), ("apt-get install x", false), ("apt-get -yq install x", true),
        ("apt-get -o APT::Get::Assume-Yes=true install x", true),
    ])
    func assumeYes(cmd: String, expected: Bool) { #expect(pm(cmd).isNonInteractive == expected) }

    @Test func recommendsAndActions() {
        #expect(pm("apt-get install -o APT::Install-Recommends=false x").installsRecommends == false)
        #expect(pm("apt-get install -y x").installsRecommends == true)
        #expect(pm("apt-get update").isUpdate)
        #expect(pm("apt update").manager == .apt)
        #expect(pm("aptitude install -y x").isInstall)
        #expect(pm("apt-get dist-upgrade -y").isUpgrade)
        #expect(pm("apt-get purge -y --auto-remove x").isRemove)
        #expect(pm("apt-get clean").isClean)
        #expect(unpinned("apt-get install -y nginx=${NGINX_VERSION} \"$PKG\"") == ["$PKG"])
    }
}

@Suite struct OtherSystemManagerTests {
    @Test func apk() {
        let c = pm("apk add --no-cache --virtual .build-deps -X http://mirror gcc=12.2 musl-dev~1.2 'libc>1' x.apk make")
        #expect(c.action == .install)
        #expect(c.optionValues("virtual") == [".build-deps"])
        #expect(c.targets.map(\.text) == ["gcc=12.2", "musl-dev~1.2", "libc>1", "x.apk", "make"])
        #expect(c.unpinnedTargets.map(\.text) == ["make"])
        #expect(c.disablesCache)
        let d = pm("apk --no-cache add -t .deps gcc=1 x.apk make")
        #expect(d.unpinnedTargets.map(\.text) == ["make"])
        #expect(d.optionValues("t") == [".deps"])
        #expect(pm("apk update").isUpdate)
        #expect(pm("apk del .build-deps").isRemove)
        #expect(pm("apk cache clean").isClean)
    }

    @Test func yumDnf() {
        let c = pm("yum install -y --enablerepo epel httpd-2.4.6 gcc-c++ python3-devel nodejs-${NODE_VERSION} local.rpm")
        #expect(c.manager == .yum && c.isNonInteractive)
        #expect(c.optionValues("enablerepo") == ["epel"])
        #expect(c.unpinnedTargets.map(\.text) == ["gcc-c++", "python3-devel"])
        #expect(c.targets[0].name == "httpd" && c.targets[0].version == "2.4.6")
        #expect(!pm("yum install x").isNonInteractive)
        #expect(pm("yum update -y").isUpgrade)
        #expect(pm("yum clean all").isClean)
        #expect(pm("yum groupinstall -y x").isInstall)
        let m = pm("dnf module install -y nodejs:18 php")
        #expect(m.subcommand == ["module", "install"])
        #expect(m.unpinnedTargets.map(\.text) == ["php"])
        let d = pm("dnf --setopt=install_weak_deps=False -y install x-1.0")
        #expect(d.installsRecommends == false && d.unpinnedTargets.isEmpty)
        let mi = pm("microdnf install --nodocs -y shadow-utils")
        #expect(mi.manager == .microdnf && mi.isNonInteractive && mi.unpinnedTargets.count == 1)
    }

    @Test func zypper() {
        let c = pm("zypper --non-interactive install --no-recommends -r repo curl=8 'git>=2' x.rpm vim")
        #expect(c.isNonInteractive)
        #expect(c.installsRecommends == false)
        #expect(c.optionValues("r") == ["repo"])
        #expect(c.unpinnedTargets.map(\.text) == ["vim"])
        #expect(!pm("zypper in x").isNonInteractive)
        #expect(pm("zypper in -y x").isNonInteractive)
        #expect(pm("zypper dup").isUpgrade)
        #expect(pm("zypper cc -a").isClean)
        #expect(pm("zypper ref").isUpdate)
    }
}

@Suite struct LanguageManagerTests {
    @Test func pip() {
        let c = pm("pip install --no-cache-dir -i https://idx --extra-index-url https://x flask==2.0 'requests>=2' numpy git+https://g/r@v1 git+https://g/s ./pkg x.whl -e ./lib")
        #expect(c.manager == .pip && c.disablesCache)
        #expect(c.optionValues("i") == ["https://idx"])
        #expect(c.optionValues("e") == ["./lib"])
        #expect(c.unpinnedTargets.map(\.text) == ["numpy", "git+https://g/s"])
        #expect(unpinned("pip install -r requirements.txt flask").isEmpty)
        #expect(unpinned("pip install --constraint c.txt flask").isEmpty)
        #expect(unpinned("pip install .").isEmpty)
        let py = pm("python3.11 -m pip install -U pip setuptools==69")
        #expect(py.manager == .pip)
        #expect(py.unpinnedTargets.map(\.text) == ["pip"])
        #expect(pm("pip3 install x").manager == .pip)
        #expect(!pm("pip install x").disablesCache)
        #expect(pm("pip uninstall -y x").isRemove)
    }

    /// Composer run by the PHP binary: the script is the manager, PHP's own options skipped.
    @Test func composerThroughPHP() {
        let c = pm("php composer.phar install --no-dev --prefer-dist --optimize-autoloader")
        #expect(c.manager == .composer && c.subcommand == ["install"] && c.script == "composer.phar")
        #expect(c.hasOption("no-dev") && c.hasOption("optimize-autoloader"))
        let d = pm("php8.3 -d memory_limit=-1 -n /usr/local/bin/composer install --no-scripts")
        #expect(d.manager == .composer && d.script == "/usr/local/bin/composer" && d.hasOption("no-scripts"))
        #expect(pm("composer install").script == nil)
        // Other PHP programs are not package managers.
        #expect(firstPackageCommand("php artisan migrate") == nil)
        #expect(firstPackageCommand("php -r 'echo 1;'") == nil)
        #expect(firstPackageCommand("php bin/console cache:clear") == nil)
    }

    @Test func npmYarnPnpm() {
        let c = pm("npm install --save-dev --registry https://r -g typescript@5 @types/node @scope/pkg@1 git+https://g/x#v1 git://g/y ./dir x.tgz express")
        #expect(c.optionValues("registry") == ["https://r"])
        #expect(c.hasOption("save-dev") && c.hasOption("g"))
        #expect(c.unpinnedTargets.map(\.text) == ["@types/node", "git://g/y", "express"])
        #expect(c.targets[2].name == "@scope/pkg" && c.targets[2].version == "@1")
        #expect(unpinned("npm install").isEmpty)
        #expect(unpinned("npm ci --omit dev").isEmpty)
        #expect(pm("npm ci").isInstall)
        #expect(pm("npm cache clean --force").isClean)
        #expect(pm("npm run build").action == .run)
        #expect(unpinned("yarn add lodash react@18") == ["lodash"])
        #expect(pm("yarn").isInstall && unpinned("yarn --frozen-lockfile").isEmpty)
        #expect(pm("yarn cache clean").isClean)
        #expect(unpinned("yarn global add pm2") == ["pm2"])
        #expect(unpinned("pnpm add -D vite zod@3") == ["vite"])
        #expect(pm("pnpm store prune").isClean)
    }

    @Test func gemGoCargo() {
        #expect(unpinned("gem install bundler:2.4.0 rails --no-document") == ["rails"])
        #expect(unpinned("gem install -v 2.4 bundler").isEmpty)
        #expect(unpinned("gem install bundler --version '~> 2'").isEmpty)
        #expect(pm("gem install -N -i /opt x").optionValues("i") == ["/opt"])
        #expect(unpinned("go install golang.org/x/tools/gopls@v0.14.0 github.com/a/b ./cmd/...") == ["github.com/a/b"])
        #expect(unpinned("go get -u github.com/x/y") == ["github.com/x/y"])
        #expect(pm("go mod download").subcommand == ["mod", "download"])
        #expect(pm("go mod download").action == .download)
        #expect(pm("go build -o /bin/app -ldflags '-s -w' ./cmd/app").optionValues("o", "ldflags") == ["/bin/app", "-s -w"])
        #expect(pm("go clean -modcache").isClean)
        #expect(unpinned("cargo install ripgrep cargo-watch@8") == ["ripgrep"])
        #expect(unpinned("cargo install --version 1.0 x").isEmpty)
        #expect(pm("cargo build --release --locked -p app").optionValues("p") == ["app"])
    }

    @Test func composerBundlePoetryPipenvUv() {
        #expect(pm("composer install --no-dev --no-interaction -d /app").optionValues("d") == ["/app"])
        #expect(unpinned("composer require monolog/monolog:^3 guzzle/guzzle") == ["guzzle/guzzle"])
        #expect(pm("composer clear-cache").isClean)
        #expect(pm("bundle install --jobs 4 --without development").optionValues("jobs", "without") == ["4", "development"])
        #expect(pm("bundle").isInstall)
        #expect(pm("poetry install --no-root --only main").optionValues("only") == ["main"])
        #expect(unpinned("poetry add requests@^2 flask") == ["flask"])
        #expect(pm("pipenv install --deploy --system").isInstall)
        #expect(unpinned("pipenv install requests==2 flask") == ["flask"])
        let uv = pm("uv pip install --system -r requirements.txt")
        #expect(uv.subcommand == ["pip", "install"] && uv.isInstall && uv.unpinnedTargets.isEmpty)
        #expect(unpinned("uv pip install ruff black==24") == ["ruff"])
        #expect(pm("uv sync --frozen --no-dev").isInstall)
        #expect(pm("uv cache clean").isClean)
        #expect(pm("pipx install poetry==1.8").unpinnedTargets.isEmpty)
        #expect(pm("pipx install poetry").unpinnedTargets.count == 1)
    }

    @Test func mavenGradleDotnet() {
        let m = pm("mvn -B -f app/pom.xml -DskipTests -Pprod -s settings.xml dependency:go-offline")
        #expect(m.manager == .maven && m.action == .download)
        #expect(m.optionValues("f") == ["app/pom.xml"])
        #expect(m.optionValues("D") == ["skipTests"])
        #expect(m.optionValues("P") == ["prod"])
        #expect(m.subcommand == ["dependency:go-offline"])
        #expect(pm("./mvnw clean package -DskipTests").action == .build)
        #expect(pm("./gradlew build -x test --no-daemon").action == .build)
        #expect(pm("gradle dependencies").action == .download)
        let d = pm("dotnet publish -c Release -o /app --no-restore -p:Version=1.0 App.csproj")
        #expect(d.action == .build)
        #expect(d.optionValues("c", "o") == ["Release", "/app"])
        #expect(d.optionValues("p") == ["Version=1.0"])
        #expect(d.operands.map(\.unquoted) == ["App.csproj"])
        #expect(pm("dotnet restore").action == .download)
        #expect(pm("dotnet tool install -g dotnet-ef --version 8.0.0").isInstall)
    }

    @Test func notAPackageManager() {
        #expect(firstPackageCommand("echo apt-get install x") == nil)
        #expect(firstPackageCommand("python3 app.py") == nil)
        #expect(firstPackageCommand("$PIP install x") == nil)
    }
}

@Suite struct DependencyInstallTests {
    private func dep(_ s: String) -> DependencyInstall? { firstPackageCommand(s)?.dependencyInstall }
    private func files(_ s: String) -> [String] { dep(s)?.manifests.filter(\.required).map(\.path) ?? [] }

    @Test func manifests() {
        #expect(files("pip install --no-cache-dir -r requirements.txt -c constraints.txt") == ["requirements.txt", "constraints.txt"])
        #expect(dep("pip install -r requirements.txt")?.source == .manifest)
        #expect(dep("pip install flask==2")?.source == .namedPackages)
        #expect(dep("pip install .")?.source == .localProject)
        #expect(dep("pip install -e .")?.needsSourceTree == true)
        #expect(files("npm ci") == ["package.json", "package-lock.json"])
        #expect(dep("npm ci")?.usesLockfile == true)
        #expect(files("npm install --prefix web") == ["web/package.json"])
        #expect(dep("npm install -g pnpm@9")?.source == .namedPackages)
        // No package: the working directory's, as `npm install -g .` (its prefix is the global one).
        #expect(dep("npm install -g")?.source == .localProject && dep("npm i --global --prefix /opt/npm")?.needsSourceTree == true)
        #expect(files("npm install -g --prefix /opt/npm") == ["package.json"])
        #expect(files("yarn install --frozen-lockfile") == ["package.json", "yarn.lock"])
        #expect(files("pnpm install --frozen-lockfile") == ["package.json", "pnpm-lock.yaml"])
        #expect(files("pnpm fetch") == ["pnpm-lock.yaml"])
        #expect(files("go mod download") == ["go.mod"])
        #expect(dep("go mod download")?.manifests.map(\.path).contains("go.sum") == true)
        #expect(dep("go build ./...")?.needsSourceTree == true)
        #expect(files("bundle install") == ["Gemfile"])
        #expect(files("bundle install --gemfile gems.rb --frozen") == ["gems.rb", "gems.rb.lock"])
        #expect(files("composer install --no-scripts") == ["composer.json"])
        #expect(dep("composer install")?.manifests.map(\.path).contains("composer.lock") == true)
        #expect(files("poetry install --no-root") == ["pyproject.toml"])
        #expect(dep("poetry install --no-root")?.needsSourceTree == false)
        #expect(dep("poetry install")?.needsSourceTree == true)
        #expect(files("pipenv sync") == ["Pipfile", "Pipfile.lock"])
        #expect(files("uv sync --locked --no-install-project") == ["pyproject.toml", "uv.lock"])
        #expect(dep("uv sync --locked --no-install-project")?.needsSourceTree == false)
        #expect(files("cargo fetch") == ["Cargo.toml"])
        #expect(dep("cargo build --release")?.source == .localProject)
        #expect(files("mvn -f api/pom.xml dependency:go-offline") == ["api/pom.xml"])
        #expect(dep("gradle dependencies")?.manifests.map(\.path).contains("build.gradle.kts") == true)
        #expect(dep("dotnet restore")?.manifests.first?.isGlob == true)
        #expect(files("dotnet restore src/App.csproj") == ["src/App.csproj"])
        #expect(dep("apt-get install -y ./pkg.deb")?.manifests.map(\.path) == ["./pkg.deb"])
        #expect(dep("apt-get install -y curl")?.source == .namedPackages)
        #expect(dep("apt-get update") == nil)
        #expect(dep("npm run build") == nil)
    }

    @Test func scriptLevel() {
        let s = ShellParser.parse("set -eux; pip install -r requirements.txt && npm ci && apt-get clean")
        #expect(s.dependencyInstalls.map(\.manager) == [.pip, .npm])
        #expect(s.packageCommands.map(\.action) == [.install, .install, .clean])
    }
}

@Suite struct InformationOnlyInvocations {
    @Test func versionAndHelpAreNotInstalls() {
        for text in ["yarn --version", "yarn -v", "npm --help", "pip --version"] {
            let script = ShellParser.parse(text)
            let cmd = script.packageCommands.first
            #expect(cmd?.action == .other, "\(text)")
        }
        #expect(ShellParser.parse("yarn").packageCommands.first?.action == .install)
    }
}
