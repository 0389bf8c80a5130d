public class Core {}
