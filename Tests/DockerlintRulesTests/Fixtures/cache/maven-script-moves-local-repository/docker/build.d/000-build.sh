export MAVEN_OPTS="-Dmaven.repo.local=/var/cache/maven"
cd "$BUILD_DIR"
mvn $MAVEN_ARGUMENTS package
mkdir -p "$DESTINATION/webapp"
cp web/target/*.jar "$DESTINATION/webapp/app.jar"
