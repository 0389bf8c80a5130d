public class Web {}
