# The runnable jar and its JVM options, for scripts/run and scripts/cluster (sourced from the repository's
# root, never run on its own).

jar="target/tenantwatch.jar"

# Builds the jar when it is missing or older than the pom or any source (tests are not run here; that is
# scripts/test).
build_jar_if_stale() {
  if [ ! -f "$jar" ] || [ -n "$(find pom.xml src -newer "$jar" -print -quit)" ]; then
    echo "building $jar (mvn package, tests skipped) ..." >&2
    mvn -q -B package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true
  fi
}

# Sets log_opts to the JVM options of TENANTWATCH_LOG_FORMAT: text (the default) or json.
set_log_opts() {
  log_opts=()
  case "${TENANTWATCH_LOG_FORMAT:-text}" in
    json) log_opts=(-Dlogback.configurationFile=conf/logback-json.xml) ;;
    text) ;;
    *) echo "TENANTWATCH_LOG_FORMAT must be text or json, got '${TENANTWATCH_LOG_FORMAT}'" >&2; exit 2 ;;
  esac
}
