// `docker buildx build --progress=rawjson` output of one build on Docker 26.1.5 (BuildKit
// v0.13), trimmed to the step vertices: a fresh runner importing a registry cache (mode=max),
// after an edit of src/ in a three-stage Dockerfile (deps, build, final). Recorded with
// scripts/record-ci-cache (RECORD_LOGS). The first objects are pretty-printed as buildx prints
// them, the rest compacted.
//
// What it shows: `[deps 2/4]`, `[deps 3/4]`, `[deps 4/4]` and `[build 2/5]` are matched in the
// imported cache and never loaded (one update each, cached and completed); `[build 3/5] COPY
// --from=deps` is restored: loaded with cached=true, then restarted without the flag while its
// layers download from the registry (the plain display then shows DONE, often without
// CACHED); `[build 4/5]`, `[build 5/5]` and the final stage ran.
let buildxRawJSONRegistryMax = #"""
{
  "vertexes": [
    {
      "digest": "sha256:d9d47cfc654b092c8c443e5e9223bd5a2d67efaf2d07d0995e9009b275adcf36",
      "inputs": [
        "sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770"
      ],
      "name": "[stage-2 3/3] RUN wc -l /app/app.bin > /app/lines && sleep 0.5"
    },
    {
      "digest": "sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770",
      "inputs": [
        "sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2",
        "sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854"
      ],
      "name": "[stage-2 2/3] COPY --from=build /app.bin /app/app.bin"
    },
    {
      "digest": "sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854",
      "inputs": [
        "sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698"
      ],
      "name": "[build 5/5] RUN grep -vh '^#' src/*.txt > /app.bin && echo \"version 1.0\" >> /app.bin && sleep 1"
    },
    {
      "digest": "sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698",
      "inputs": [
        "sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2",
        "sha256:a9ad3efa034c844909d1b20b670d1fab9b14928ed787ce02da17d9cd37b3c271"
      ],
      "name": "[build 4/5] COPY src/ ./src/"
    },
    {
      "digest": "sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2",
      "inputs": [
        "sha256:8b2970333cffe9291f7510246758a9f3b53d7c39d6edf6677c45c0a7cc6aa40c",
        "sha256:58cf59189511a72ff17e07feed3cb12673df5b15654ff46047468c18107f152e"
      ],
      "name": "[build 3/5] COPY --from=deps /deps/installed.txt ./"
    },
    {
      "digest": "sha256:58cf59189511a72ff17e07feed3cb12673df5b15654ff46047468c18107f152e",
      "inputs": [
        "sha256:7cb235ca6bf48f99f38908f65ddf2f497f6876cc983f8f5c6773fec98e4ffa37"
      ],
      "name": "[deps 4/4] RUN --mount=type=cache,target=/var/cache/deps     for p in $(cat requirements.txt); do echo \"$p\" >> /var/cache/deps/seen; echo \"installed $p\"; done > installed.txt && sleep 1"
    },
    {
      "digest": "sha256:7cb235ca6bf48f99f38908f65ddf2f497f6876cc983f8f5c6773fec98e4ffa37",
      "inputs": [
        "sha256:4207ce5007d75553a3ce2b93597b1e875cfd67ee94a0c5f24b81883f83b5872a",
        "sha256:a9ad3efa034c844909d1b20b670d1fab9b14928ed787ce02da17d9cd37b3c271"
      ],
      "name": "[deps 3/4] COPY requirements.txt ./"
    },
    {
      "digest": "sha256:4207ce5007d75553a3ce2b93597b1e875cfd67ee94a0c5f24b81883f83b5872a",
      "inputs": [
        "sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2"
      ],
      "name": "[deps 2/4] WORKDIR /deps"
    },
    {
      "digest": "sha256:8b2970333cffe9291f7510246758a9f3b53d7c39d6edf6677c45c0a7cc6aa40c",
      "inputs": [
        "sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2"
      ],
      "name": "[build 2/5] WORKDIR /src"
    },
    {
      "digest": "sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2",
      "name": "[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2"
    }
  ]
}
{
  "vertexes": [
    {
      "digest": "sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2",
      "name": "[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2",
      "started": "2026-12-06T18:10:59.191315343Z"
    }
  ]
}
{"statuses":[{"id":"resolve docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","vertex":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","current":0,"timestamp":"2026-12-06T18:10:59.193147357Z","started":"2026-12-06T18:10:59.193147067Z"}]}
{"statuses":[{"id":"resolve docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","vertex":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","current":0,"timestamp":"2026-12-06T18:10:59.238237944Z","started":"2026-12-06T18:10:59.193147067Z","completed":"2026-12-06T18:10:59.238237012Z"}]}
{"vertexes":[{"digest":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","name":"[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","started":"2026-12-06T18:10:59.191315343Z","completed":"2026-12-06T18:10:59.238440343Z"}]}
{"vertexes":[{"digest":"sha256:8b2970333cffe9291f7510246758a9f3b53d7c39d6edf6677c45c0a7cc6aa40c","inputs":["sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2"],"name":"[build 2/5] WORKDIR /src","started":"2026-12-06T18:10:59.279645052Z","completed":"2026-12-06T18:10:59.279645052Z","cached":true},{"digest":"sha256:4207ce5007d75553a3ce2b93597b1e875cfd67ee94a0c5f24b81883f83b5872a","inputs":["sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2"],"name":"[deps 2/4] WORKDIR /deps","started":"2026-12-06T18:10:59.279645052Z","completed":"2026-12-06T18:10:59.279645052Z","cached":true},{"digest":"sha256:7cb235ca6bf48f99f38908f65ddf2f497f6876cc983f8f5c6773fec98e4ffa37","inputs":["sha256:4207ce5007d75553a3ce2b93597b1e875cfd67ee94a0c5f24b81883f83b5872a","sha256:a9ad3efa034c844909d1b20b670d1fab9b14928ed787ce02da17d9cd37b3c271"],"name":"[deps 3/4] COPY requirements.txt ./","started":"2026-12-06T18:10:59.279645052Z","completed":"2026-12-06T18:10:59.279645052Z","cached":true},{"digest":"sha256:58cf59189511a72ff17e07feed3cb12673df5b15654ff46047468c18107f152e","inputs":["sha256:7cb235ca6bf48f99f38908f65ddf2f497f6876cc983f8f5c6773fec98e4ffa37"],"name":"[deps 4/4] RUN --mount=type=cache,target=/var/cache/deps     for p in $(cat requirements.txt); do echo \"$p\" >> /var/cache/deps/seen; echo \"installed $p\"; done > installed.txt && sleep 1","started":"2026-12-06T18:10:59.279645052Z","completed":"2026-12-06T18:10:59.279645052Z","cached":true},{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","inputs":["sha256:8b2970333cffe9291f7510246758a9f3b53d7c39d6edf6677c45c0a7cc6aa40c","sha256:58cf59189511a72ff17e07feed3cb12673df5b15654ff46047468c18107f152e"],"name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.279645052Z","cached":true}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","inputs":["sha256:8b2970333cffe9291f7510246758a9f3b53d7c39d6edf6677c45c0a7cc6aa40c","sha256:58cf59189511a72ff17e07feed3cb12673df5b15654ff46047468c18107f152e"],"name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.279645052Z","completed":"2026-12-06T18:10:59.319967134Z","cached":true}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.325787537Z"}]}
{"statuses":[{"id":"sha256:c4ed5ab924c8df2a9580dd21165fa4be4c50eda9fa288ee0e975e6680bce7c43","vertex":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","total":171,"current":171,"timestamp":"2026-12-06T18:10:59.35857874Z","started":"2026-12-06T18:10:59.328538663Z","completed":"2026-12-06T18:10:59.355579587Z"}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.325787537Z","completed":"2026-12-06T18:10:59.360556971Z"}],"statuses":[{"id":"sha256:92229766068271ceedf1ff1655772fc74175a8bd1feb76aad918def97608dea5","vertex":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","total":93,"current":93,"timestamp":"2026-12-06T18:10:59.360538875Z","started":"2026-12-06T18:10:59.335646113Z","completed":"2026-12-06T18:10:59.359270846Z"}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.365972775Z"}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.365972775Z","completed":"2026-12-06T18:10:59.371324084Z"}],"statuses":[{"id":"extracting sha256:92229766068271ceedf1ff1655772fc74175a8bd1feb76aad918def97608dea5","vertex":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"extracting","current":0,"timestamp":"2026-12-06T18:10:59.371317775Z","started":"2026-12-06T18:10:59.365984663Z","completed":"2026-12-06T18:10:59.371317204Z"}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.371432735Z"}]}
{"vertexes":[{"digest":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"[build 3/5] COPY --from=deps /deps/installed.txt ./","started":"2026-12-06T18:10:59.371432735Z","completed":"2026-12-06T18:10:59.382662763Z"}],"statuses":[{"id":"extracting sha256:c4ed5ab924c8df2a9580dd21165fa4be4c50eda9fa288ee0e975e6680bce7c43","vertex":"sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","name":"extracting","current":0,"timestamp":"2026-12-06T18:10:59.382652017Z","started":"2026-12-06T18:10:59.371439205Z","completed":"2026-12-06T18:10:59.382651256Z"}]}
{"vertexes":[{"digest":"sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698","inputs":["sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","sha256:a9ad3efa034c844909d1b20b670d1fab9b14928ed787ce02da17d9cd37b3c271"],"name":"[build 4/5] COPY src/ ./src/","started":"2026-12-06T18:10:59.391324557Z"}]}
{"vertexes":[{"digest":"sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698","inputs":["sha256:4c8d0a5499d6f80de0ab9e833f78626d48e2bb2e25dc6a4674a46d6ef0672ec2","sha256:a9ad3efa034c844909d1b20b670d1fab9b14928ed787ce02da17d9cd37b3c271"],"name":"[build 4/5] COPY src/ ./src/","started":"2026-12-06T18:10:59.391324557Z","completed":"2026-12-06T18:10:59.412829678Z"}]}
{"vertexes":[{"digest":"sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854","inputs":["sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698"],"name":"[build 5/5] RUN grep -vh '^#' src/*.txt > /app.bin && echo \"version 1.0\" >> /app.bin && sleep 1","started":"2026-12-06T18:10:59.414278725Z"}]}
{"vertexes":[{"digest":"sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854","inputs":["sha256:a69b48df81f7d20d66d34666db5f5a5ab7e3fd90d9e1a50fd9e2441d5a313698"],"name":"[build 5/5] RUN grep -vh '^#' src/*.txt > /app.bin && echo \"version 1.0\" >> /app.bin && sleep 1","started":"2026-12-06T18:10:59.414278725Z","completed":"2026-12-06T18:11:00.711719984Z"}]}
{"vertexes":[{"digest":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","name":"[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","started":"2026-12-06T18:11:00.743488823Z","completed":"2026-12-06T18:11:00.743632636Z"}]}
{"vertexes":[{"digest":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","name":"[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","started":"2026-12-06T18:11:00.743773955Z"}]}
{"vertexes":[{"digest":"sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","name":"[deps 1/4] FROM docker.io/local/busybox:latest@sha256:4d2c89783415d0644da0918cad6be6f7db323fb856ad211d79f83be63db3e5c2","started":"2026-12-06T18:11:00.743773955Z","completed":"2026-12-06T18:11:00.749282296Z"}]}
{"vertexes":[{"digest":"sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770","inputs":["sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854"],"name":"[stage-2 2/3] COPY --from=build /app.bin /app/app.bin","started":"2026-12-06T18:11:00.759887199Z"}]}
{"vertexes":[{"digest":"sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770","inputs":["sha256:9537f95ac943eeb4873e47134aef25211ee14a1c58cf0000cd32473bdd33c6a2","sha256:d6eaa5a6da048fea1ca9fca59bb68370db2ccde1ac6ed08d2482c0c399e9f854"],"name":"[stage-2 2/3] COPY --from=build /app.bin /app/app.bin","started":"2026-12-06T18:11:00.759887199Z","completed":"2026-12-06T18:11:00.770178025Z"}]}
{"vertexes":[{"digest":"sha256:d9d47cfc654b092c8c443e5e9223bd5a2d67efaf2d07d0995e9009b275adcf36","inputs":["sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770"],"name":"[stage-2 3/3] RUN wc -l /app/app.bin > /app/lines && sleep 0.5","started":"2026-12-06T18:11:00.771487586Z"}]}
{"vertexes":[{"digest":"sha256:d9d47cfc654b092c8c443e5e9223bd5a2d67efaf2d07d0995e9009b275adcf36","inputs":["sha256:20033b0e2235a66b6d996cd1db2993caa75bcfab74cbfc723287adf10927e770"],"name":"[stage-2 3/3] RUN wc -l /app/app.bin > /app/lines && sleep 0.5","started":"2026-12-06T18:11:00.771487586Z","completed":"2026-12-06T18:11:01.616563901Z"}]}
"""#
