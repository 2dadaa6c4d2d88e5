import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Starts DynamoDB Local listening on one address only. DynamoDB Local has no option for the address
 * (its Jetty server binds every interface), so this sets it on Jetty's connectors before the start.
 * Usage: java -cp DynamoDBLocal.jar:<dir of this class> FanoutDynamoDbLocal <host> <DynamoDB Local args...>
 * Reflection only, so it compiles without the jar: javac --release 17 FanoutDynamoDbLocal.java
 */
public final class FanoutDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    String host = args[0];
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    Class<?> runner = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner");
    Object proxy = runner.getMethod("createServerFromCommandLineArgs", String[].class).invoke(null, (Object) rest);
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object jetty = field.get(proxy);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      Method setHost = connector.getClass().getMethod("setHost", String.class);
      setHost.invoke(connector, host);
    }
    proxy.getClass().getMethod("start").invoke(proxy);
  }
}
