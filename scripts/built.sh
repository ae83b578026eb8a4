# Sourced by scripts/site-backup and scripts/stand-in.sh: builds what is missing or older than its sources, once.
#   ensure_built WHO   the packaged app (target/azure-functions/site-backup-func) and the stand-in's jar
# With SITE_BACKUP_NO_BUILD set, something to build is an error instead (the tests run what the build made).
# A rebuild of the packaged app while npm start (the stand-in or func) runs from it is refused.

standin_jar="$root/tools/standin/target/site-backup-standin.jar"
app_dir="$root/target/azure-functions/site-backup-func"

# newer_than FILE PATH...: prints the first source newer than FILE (or FILE itself when it is missing).
newer_than() {
    local file=$1
    shift
    if [[ ! -e "$file" ]]; then
        echo "$file"
        return
    fi
    find "$@" -newer "$file" -type f -print -quit 2>/dev/null
}

ensure_built() {
    local who=$1 app_jar stale
    app_jar=$(ls "$app_dir"/*.jar 2>/dev/null | head -n 1 || true)
    stale=$(newer_than "${app_jar:-$app_dir/missing.jar}" "$root/src/main" "$root/pom.xml" "$root/host.json")
    if [[ -n "$stale" ]]; then
        if [[ "$who" != "stand-in" ]]; then
            local lock
            for lock in "$root/.tools/run/local.lock"; do
                if [[ -e "$lock" ]] && ! (exec 9>>"$lock" && flock -n 9) 2>/dev/null; then
                    echo "$who: the packaged app must be rebuilt ($stale changed), but the app started by npm start" \
                         "runs from it: stop it first" >&2
                    exit 1
                fi
            done
        fi
        if [[ -n "${SITE_BACKUP_NO_BUILD:-}" ]]; then
            echo "$who: the packaged app is missing or older than $stale, and SITE_BACKUP_NO_BUILD is set" >&2
            exit 1
        fi
        echo "$who: building the packaged app and the stand-in (mvn -B -q -DskipTests package; once, then only" \
             "when sources change)" >&2
        (cd "$root" && mvn -B -q -DskipTests package) >&2
    fi
    stale=$(newer_than "$standin_jar" "$root/tools/standin/src" "$root/tools/standin/pom.xml")
    if [[ -n "$stale" ]]; then
        if [[ -n "${SITE_BACKUP_NO_BUILD:-}" ]]; then
            echo "$who: the stand-in's jar is missing or older than $stale, and SITE_BACKUP_NO_BUILD is set" >&2
            exit 1
        fi
        echo "$who: building the stand-in and runner jar (scripts/build-standin.sh)" >&2
        "$root/scripts/build-standin.sh" >&2
    fi
}
