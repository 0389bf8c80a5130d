export const hello = () => "hi";
