public enum DockerlintVersion {
    public static let string = "0.1.0"
}
