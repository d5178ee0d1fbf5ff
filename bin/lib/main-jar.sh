# shellcheck shell=sh
# Sourced by bin/mictlanx and by the Dockerfile's build stage (POSIX sh: the image build runs dash).
#
# main_jar DIR ARTIFACT prints the path of the one main jar DIR/ARTIFACT-<version>.jar. Maven puts the
# test jar (ARTIFACT-<version>-tests.jar, with its logback-test.xml) and any sources or javadoc jars beside
# it; a glob like ARTIFACT-*.jar picks those up too, and on the classpath the test logging configuration
# then wins (WARN only, no access log). Fails, saying why, unless exactly one main jar is there.
main_jar() {
  _mj_dir=$1
  _mj_artifact=$2
  _mj_found=""
  _mj_count=0
  for _mj_f in "$_mj_dir/$_mj_artifact"-[0-9]*.jar; do
    [ -f "$_mj_f" ] || continue
    case "${_mj_f##*/}" in
      *-tests.jar | *-test-sources.jar | *-sources.jar | *-javadoc.jar) continue ;;
    esac
    _mj_found=$_mj_f
    _mj_count=$((_mj_count + 1))
  done
  if [ "$_mj_count" -ne 1 ]; then
    echo "main_jar: expected exactly one $_mj_artifact-<version>.jar in $_mj_dir, found $_mj_count" >&2
    return 1
  fi
  printf '%s\n' "$_mj_found"
}
