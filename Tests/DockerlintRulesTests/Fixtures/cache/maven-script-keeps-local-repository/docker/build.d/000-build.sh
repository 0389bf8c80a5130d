cd "$BUILD_DIR"
mvn $MAVEN_ARGUMENTS package
mkdir -p "$DESTINATION/webapp"
cp web/target/*.jar "$DESTINATION/webapp/app.jar"
mkdir -p "$DESTINATION/lib"
cp /root/.m2/repository/com/google/guava/guava/33.0.0-jre/guava-33.0.0-jre.jar "$DESTINATION/lib/"
